/**
 * RTMP messages (Adobe RTMP specification 5.4, 6, 7): {@link io.edgepush.protocol.rtmp.message.RtmpMessage} (type
 * id, message stream id, timestamp, owned payload), {@link io.edgepush.protocol.rtmp.message.MessageType} ids,
 * protocol control and User Control builders ({@link io.edgepush.protocol.rtmp.message.ControlMessages}) and AMF0
 * command messages ({@link io.edgepush.protocol.rtmp.message.CommandMessage}).
 */
package io.edgepush.protocol.rtmp.message;
