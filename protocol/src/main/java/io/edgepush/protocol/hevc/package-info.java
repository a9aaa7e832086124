/**
 * H.265/HEVC elementary stream parsing (ITU-T H.265): the 2-byte NAL unit header, VPS/SPS/PPS up to the fields
 * a publisher needs, access unit boundaries (7.4.2.4.4) and the HEVCDecoderConfigurationRecord
 * (ISO/IEC 14496-15 8.3.3.1). Annex B splitting, emulation prevention removal and Exp-Golomb reading are the
 * codec-independent pieces of {@link io.edgepush.protocol.h264} ({@link io.edgepush.protocol.h264.AnnexBReader},
 * {@link io.edgepush.protocol.h264.Rbsp}, {@link io.edgepush.protocol.h264.BitReader}), reused here.
 * Publishing goes through {@link io.edgepush.protocol.flv.HevcFlvMuxer} (Enhanced RTMP, FourCC "hvc1").
 */
package io.edgepush.protocol.hevc;
