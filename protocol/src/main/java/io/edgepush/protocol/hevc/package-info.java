/**
 * H.265/HEVC elementary stream parsing (ITU-T H.265): the 2-byte NAL unit header, VPS/SPS/PPS up to the fields
 * a publisher needs, access unit boundaries (7.4.2.4.4) and the HEVCDecoderConfigurationRecord
 * (ISO/IEC 14496-15 8.3.3.1). Annex B splitting, emulation prevention removal and Exp-Golomb reading are the
 * codec-independent pieces of {@link io.edgepush.protocol.h264} ({@link io.edgepush.protocol.h264.AnnexBReader},
 * {@link io.edgepush.protocol.h264.BitReader#ofNalUnit}), reused here.
 *
 * <p>Public doors: {@link io.edgepush.protocol.hevc.HevcNalUnitType} (the header and its types),
 * {@link io.edgepush.protocol.hevc.HevcAccessUnitAssembler} with its {@link io.edgepush.protocol.hevc.HevcAccessUnit},
 * {@link io.edgepush.protocol.hevc.HevcParameterSets} (what a container needs: picture size and the decoder
 * configuration record) and {@link io.edgepush.protocol.hevc.H265Exception}. The parameter set parsers (HevcVps,
 * HevcSps, HevcPps, ProfileTierLevel) and the record builder are package-private. Publishing goes through the flv
 * package's muxer for H.265 (Enhanced RTMP, FourCC "hvc1").
 */
package io.edgepush.protocol.hevc;
