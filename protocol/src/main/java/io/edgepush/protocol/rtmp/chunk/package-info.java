/**
 * The RTMP chunk stream layer (Adobe RTMP specification 5.3): {@link io.edgepush.protocol.rtmp.chunk.ChunkWriter}
 * splits messages into chunks with per chunk stream header compression, {@link
 * io.edgepush.protocol.rtmp.chunk.ChunkReader} reassembles them, {@link io.edgepush.protocol.rtmp.chunk.ChunkHeaders}
 * holds the basic header encoding and limits. Neither class is thread safe; one of each per connection.
 */
package io.edgepush.protocol.rtmp.chunk;
