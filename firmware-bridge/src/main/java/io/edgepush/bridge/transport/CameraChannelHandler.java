package io.edgepush.bridge.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The Netty end of one accepted camera TCP connection, shared by {@link TcpCameraServer} and
 * {@link RawAnnexBServer}: hands every received chunk to {@link #onBytes}, closes the channel on a transport
 * error, and reports why the connection ended to {@link #onClosed} once the channel is inactive.
 */
abstract class CameraChannelHandler extends ChannelInboundHandlerAdapter {
    private String error;

    /** One received chunk; BORROWED: released here right after the call. */
    protected abstract void onBytes(ByteBuf chunk);

    /**
     * The channel is inactive.
     *
     * @param reason "transport error: ..." after an exception, else "connection closed by camera"
     */
    protected abstract void onClosed(String reason);

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            onBytes(buf);
        } finally {
            buf.release();
        }
    }

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        error = "transport error: " + cause.getMessage();
        ctx.close();
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
        onClosed(error != null ? error : "connection closed by camera");
    }
}
