package io.edgepush.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ByteBufAllocator} for fuzz targets and leak-exact tests: it hands out pooled buffers from
 * {@link PooledByteBufAllocator#DEFAULT}, remembers every buffer it returned and the largest capacity asked
 * for, so a test can check after each input that every buffer was released ({@code refCnt() == 0}) and that
 * the code under test never asked for more than its documented limit. Unlike Netty's leak detector this needs
 * no garbage collection and names the input that leaked. Not thread-safe: one allocator per test input.
 */
public final class TrackingAllocator implements ByteBufAllocator {
    private final ByteBufAllocator delegate = PooledByteBufAllocator.DEFAULT;
    private final List<ByteBuf> handedOut = new ArrayList<>();
    private long largestRequestBytes;

    /** @return number of buffers handed out so far */
    public int allocations() {
        return handedOut.size();
    }

    /**
     * @return the largest initial capacity requested so far, or the largest maxCapacity when the caller bounded
     *     it (buffer(initial, max)); unbounded requests count their initial capacity
     */
    public long largestRequestBytes() {
        return largestRequestBytes;
    }

    /** @return the largest current capacity among buffers still referenced (0 if none), e.g. a grown cumulation */
    public int largestLiveCapacity() {
        int largest = 0;
        for (ByteBuf buf : handedOut) {
            if (buf.refCnt() != 0) {
                largest = Math.max(largest, buf.capacity());
            }
        }
        return largest;
    }

    /**
     * Throws if any buffer handed out still has a reference; then releases those buffers so a failing input does
     * not also poison later ones.
     *
     * @param what names the input or step for the failure message
     * @throws AssertionError listing how many buffers are still referenced
     */
    public void assertAllReleased(String what) {
        int live = 0;
        for (ByteBuf buf : handedOut) {
            if (buf.refCnt() != 0) {
                live++;
                buf.release(buf.refCnt());
            }
        }
        handedOut.clear();
        if (live > 0) {
            throw new AssertionError(live + " ByteBuf(s) still referenced after " + what);
        }
    }

    private ByteBuf track(ByteBuf buf, long requestBytes) {
        largestRequestBytes = Math.max(largestRequestBytes, requestBytes);
        if (buf.maxCapacity() > 0) {
            // buffer(0, 0) returns Netty's shared empty buffer, whose refCnt() stays 1 after release().
            handedOut.add(buf);
        }
        return buf;
    }

    @Override
    public ByteBuf buffer() {
        return track(delegate.buffer(), 256);
    }

    @Override
    public ByteBuf buffer(int initialCapacity) {
        return track(delegate.buffer(initialCapacity), initialCapacity);
    }

    @Override
    public ByteBuf buffer(int initialCapacity, int maxCapacity) {
        return track(delegate.buffer(initialCapacity, maxCapacity), maxCapacity);
    }

    @Override
    public ByteBuf ioBuffer() {
        return track(delegate.ioBuffer(), 256);
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity) {
        return track(delegate.ioBuffer(initialCapacity), initialCapacity);
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.ioBuffer(initialCapacity, maxCapacity), maxCapacity);
    }

    @Override
    public ByteBuf heapBuffer() {
        return track(delegate.heapBuffer(), 256);
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity) {
        return track(delegate.heapBuffer(initialCapacity), initialCapacity);
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.heapBuffer(initialCapacity, maxCapacity), maxCapacity);
    }

    @Override
    public ByteBuf directBuffer() {
        return track(delegate.directBuffer(), 256);
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity) {
        return track(delegate.directBuffer(initialCapacity), initialCapacity);
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.directBuffer(initialCapacity, maxCapacity), maxCapacity);
    }

    @Override
    public CompositeByteBuf compositeBuffer() {
        return (CompositeByteBuf) track(delegate.compositeBuffer(), 0);
    }

    @Override
    public CompositeByteBuf compositeBuffer(int maxNumComponents) {
        return (CompositeByteBuf) track(delegate.compositeBuffer(maxNumComponents), 0);
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer() {
        return (CompositeByteBuf) track(delegate.compositeHeapBuffer(), 0);
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return (CompositeByteBuf) track(delegate.compositeHeapBuffer(maxNumComponents), 0);
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer() {
        return (CompositeByteBuf) track(delegate.compositeDirectBuffer(), 0);
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return (CompositeByteBuf) track(delegate.compositeDirectBuffer(maxNumComponents), 0);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return delegate.isDirectBufferPooled();
    }

    @Override
    public int calculateNewCapacity(int minNewCapacity, int maxCapacity) {
        return delegate.calculateNewCapacity(minNewCapacity, maxCapacity);
    }
}
