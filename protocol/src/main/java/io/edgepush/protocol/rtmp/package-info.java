/**
 * RTMP publisher client (Adobe RTMP specification, December 2012) on Netty.
 *
 * <p>Public doors: {@link io.edgepush.protocol.rtmp.RtmpUrl} (parse a publish URL),
 * {@link io.edgepush.protocol.rtmp.RtmpPublisher} (connect, publish, send FLV tag bodies, unpublish),
 * {@link io.edgepush.protocol.rtmp.RtmpPublisherOptions}, {@link io.edgepush.protocol.rtmp.RtmpException} with
 * its {@link io.edgepush.protocol.rtmp.RtmpErrorCode}, and {@link io.edgepush.protocol.rtmp.Handshake} (5.2, both
 * sides, also used by test/simulator servers). The layers below are {@code chunk} (5.3 chunk stream) and
 * {@code message} (5.4, 6, 7 message types). The publish state machine (PublishSequence), the inbound handler
 * (PublishHandler) and the connector are package-private.
 *
 * <p>Buffers: methods taking a ByteBuf say whether they take ownership or borrow it; everything allocated here
 * comes from the pooled allocator and is released exactly once.
 */
package io.edgepush.protocol.rtmp;
