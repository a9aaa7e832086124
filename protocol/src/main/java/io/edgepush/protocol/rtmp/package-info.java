/**
 * RTMP on Netty (Adobe RTMP specification, December 2012): the publisher client and a server-side connection.
 *
 * <p>Public doors: {@link io.edgepush.protocol.rtmp.RtmpUrl} (parse a publish URL),
 * {@link io.edgepush.protocol.rtmp.RtmpPublisher} (connect, publish, send FLV tag bodies, unpublish) with its
 * {@link io.edgepush.protocol.rtmp.RtmpPublisherOptions}, {@link io.edgepush.protocol.rtmp.RtmpTagSink} (muxer
 * tags to the publisher in use), {@link io.edgepush.protocol.rtmp.RtmpException} with its
 * {@link io.edgepush.protocol.rtmp.RtmpErrorCode} and {@link io.edgepush.protocol.rtmp.RetryPolicy}, and for servers
 * (the simulator's ingest, test servers) {@link io.edgepush.protocol.rtmp.RtmpServerConnection}, which speaks
 * {@link io.edgepush.protocol.rtmp.CommandMessage}s.
 *
 * <p>Everything else is package-private, one file per layer of the spec: Handshake (5.2, both sides), the chunk
 * stream (5.3: ChunkHeaders, ChunkWriter, ChunkReader), messages (5.4, 6, 7: RtmpMessage, MessageType,
 * ControlMessages, CommandMessage's AMF0 encoding), and the publisher's machinery: the publish state machine
 * (PublishSequence), the inbound handler (PublishHandler), the connector, the half-open watchdog (AckWatchdog).
 *
 * <p>Server answers: every refusal maps to an error code and a {@link io.edgepush.protocol.rtmp.RetryPolicy}
 * (ServerAnswers has the table); {@link io.edgepush.protocol.rtmp.RtmpPublisher#reconnectRequested()} reports an
 * Enhanced RTMP v2 reconnect request ({@link io.edgepush.protocol.rtmp.ReconnectRequest}).
 *
 * <p>Long streams: a timestamp or delta of 0xFFFFFF ms or more goes in the 4-byte extended timestamp, repeated on
 * the type 3 continuation chunks of the message (5.3.1.3; FFmpeg and nginx-rtmp read it there). A stream sent
 * with deltas crosses 0xFFFFFF (4 h 39 min) without an extended field on the wire, since the deltas stay small;
 * only type 0 headers (first message of a chunk stream) carry it. At the 32-bit wrap (2^32 ms, 49.7 days) the
 * writer sends a type 0 header with the wrapped absolute timestamp. What servers do there, checked by pushing
 * across both points (agent ExtendedTimestampInteropTest, clock moved with FileSource's test seam): nginx-rtmp
 * keeps 32-bit timestamps and its recording (relative to the first frame) continues in 40 ms steps across
 * 0xFFFFFF and across the wrap; ffmpeg -listen with -c copy unwraps (libavformat's 32-bit timestamp wrap
 * correction) and its recording continues likewise. Both rebase their recording to start near 0.
 *
 * <p>Buffers: methods taking a ByteBuf say whether they take ownership or borrow it; everything allocated here
 * comes from the pooled allocator and is released exactly once.
 */
package io.edgepush.protocol.rtmp;
