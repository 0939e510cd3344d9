package dev.hypha.testkit.net;

import java.util.Arrays;

/**
 * When each simulated member next needs a tick: a binary min-heap indexed by member, so a member's
 * time is updated in place instead of piling up stale entries. Ties go to the lower member index,
 * which keeps runs deterministic.
 */
final class WakeHeap {
    private final int[] heap;
    private final int[] position;
    private final long[] time;
    private int size;

    WakeHeap(int members) {
        heap = new int[members];
        position = new int[members];
        time = new long[members];
        Arrays.fill(position, -1);
    }

    /** Sets (or adds) the time of {@code member}. */
    void set(int member, long at) {
        int i = position[member];
        if (i < 0) {
            time[member] = at;
            heap[size] = member;
            position[member] = size;
            siftUp(size++);
            return;
        }
        long old = time[member];
        time[member] = at;
        if (at < old) {
            siftUp(i);
        } else if (at > old) {
            siftDown(i);
        }
    }

    void remove(int member) {
        int i = position[member];
        if (i < 0) return;
        position[member] = -1;
        size--;
        if (i == size) return;
        int moved = heap[size];
        heap[i] = moved;
        position[moved] = i;
        siftDown(i);
        siftUp(position[moved]);
    }

    /** The earliest time, or {@link Long#MAX_VALUE} when empty. */
    long minTime() {
        return size == 0 ? Long.MAX_VALUE : time[heap[0]];
    }

    int minMember() {
        if (size == 0) throw new IllegalStateException("no member is waiting");
        return heap[0];
    }

    private boolean before(int a, int b) {
        return time[a] < time[b] || (time[a] == time[b] && a < b);
    }

    private void siftUp(int i) {
        int member = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(member, heap[parent])) break;
            heap[i] = heap[parent];
            position[heap[i]] = i;
            i = parent;
        }
        heap[i] = member;
        position[member] = i;
    }

    private void siftDown(int i) {
        int member = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && before(heap[child + 1], heap[child])) child++;
            if (!before(heap[child], member)) break;
            heap[i] = heap[child];
            position[heap[i]] = i;
            i = child;
        }
        heap[i] = member;
        position[member] = i;
    }
}
