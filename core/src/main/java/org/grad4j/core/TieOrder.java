package org.grad4j.core;

/**
 * The orderings PyTorch 1.13's CPU kernels use, reproduced step by step so that the index chosen among equal
 * values is the same as PyTorch's: its Sedgewick-style quickselect (kthvalue) and the C++ standard library's
 * introsort, introselect and heap-based partial sort (unstable sort, topk, mode), as shipped with GCC. Which of
 * several equal elements lands where is a by-product of these exact steps, so only the exact steps reproduce it.
 * A stable merge sort serves the stable sort and the median. All methods permute an array of element positions
 * and compare the elements through {@link Less}.
 */
final class TieOrder {
    private TieOrder() {
    }

    /** The strict order of two elements, given by their positions in the row. */
    @FunctionalInterface
    interface Less {
        boolean less(int a, int b);
    }

    /** Introsort switches to insertion sort below this many elements. */
    private static final int INSERTION_THRESHOLD = 16;

    private static int log2(int n) {
        return 31 - Integer.numberOfLeadingZeros(n);
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    // ------------------------------------------------------------------------------------------------ stable

    /** Stable merge sort of {@code a[0, n)}. */
    static void stableSort(int[] a, int n, Less less) {
        int[] buffer = new int[n];
        mergeSort(a, buffer, 0, n, less);
    }

    private static void mergeSort(int[] a, int[] buffer, int from, int to, Less less) {
        if (to - from < 2) {
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, buffer, from, mid, less);
        mergeSort(a, buffer, mid, to, less);
        System.arraycopy(a, from, buffer, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            // the right element goes first only when strictly smaller: equal elements keep their order
            if (j < to && (i >= mid || less.less(buffer[j], buffer[i]))) {
                a[k] = buffer[j++];
            } else {
                a[k] = buffer[i++];
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ quickselect

    /**
     * PyTorch's quickselect (kthvalue): afterwards {@code a[k]} holds the k-th smallest under {@code greater}
     * (median-of-three pivot, Hoare partition with sentinels).
     */
    static void quickSelect(int[] a, int n, int k, Less greater) {
        int left = 0;
        int right = n - 1;
        while (right > left) {
            if (right == left + 1) {
                if (greater.less(a[left], a[right])) swap(a, left, right);
                return;
            }
            int mid = (left + right) >>> 1;
            swap(a, mid, left + 1);
            if (greater.less(a[left + 1], a[right])) swap(a, left + 1, right);
            if (greater.less(a[left], a[right])) swap(a, left, right);
            if (greater.less(a[left + 1], a[left])) swap(a, left + 1, left);
            int i = left + 1;
            int j = right;
            int pivot = a[left];
            while (true) {
                do {
                    i++;
                } while (greater.less(pivot, a[i]));
                do {
                    j--;
                } while (greater.less(a[j], pivot));
                if (j < i) break;
                swap(a, i, j);
            }
            swap(a, left, j);
            if (j <= k) left = i;
            if (j >= k) right = j - 1;
        }
    }

    // ------------------------------------------------------------------------------------------------ introsort

    /** {@code std::sort(first, last)}: introsort, then a final insertion sort. */
    static void sort(int[] a, int first, int last, Less less) {
        if (last - first > 1) {
            introsortLoop(a, first, last, 2 * log2(last - first), less);
            finalInsertionSort(a, first, last, less);
        }
    }

    private static void introsortLoop(int[] a, int first, int last, int depthLimit, Less less) {
        while (last - first > INSERTION_THRESHOLD) {
            if (depthLimit == 0) {
                partialSort(a, first, last, last, less);
                return;
            }
            depthLimit--;
            int cut = partitionAroundPivot(a, first, last, less);
            introsortLoop(a, cut, last, depthLimit, less);
            last = cut;
        }
    }

    /** {@code std::nth_element(first, nth, last)}: introselect, finished by insertion sort. */
    static void nthElement(int[] a, int first, int nth, int last, Less less) {
        if (first == last || nth == last) {
            return;
        }
        int depthLimit = 2 * log2(last - first);
        while (last - first > 3) {
            if (depthLimit == 0) {
                heapSelect(a, first, nth + 1, last, less);
                swap(a, first, nth);
                return;
            }
            depthLimit--;
            int cut = partitionAroundPivot(a, first, last, less);
            if (cut <= nth) {
                first = cut;
            } else {
                last = cut;
            }
        }
        insertionSort(a, first, last, less);
    }

    /** {@code std::partial_sort(first, middle, last)}: heap selection, then heap sort of the selected part. */
    static void partialSort(int[] a, int first, int middle, int last, Less less) {
        heapSelect(a, first, middle, last, less);
        while (middle - first > 1) {
            middle--;
            popHeap(a, first, middle, middle, less);
        }
    }

    private static int partitionAroundPivot(int[] a, int first, int last, Less less) {
        int mid = first + (last - first) / 2;
        moveMedianToFirst(a, first, first + 1, mid, last - 1, less);
        int lo = first + 1;
        int hi = last;
        int pivot = first;
        while (true) {
            while (less.less(a[lo], a[pivot])) lo++;
            hi--;
            while (less.less(a[pivot], a[hi])) hi--;
            if (lo >= hi) return lo;
            swap(a, lo, hi);
            lo++;
        }
    }

    private static void moveMedianToFirst(int[] a, int result, int x, int y, int z, Less less) {
        if (less.less(a[x], a[y])) {
            if (less.less(a[y], a[z])) {
                swap(a, result, y);
            } else if (less.less(a[x], a[z])) {
                swap(a, result, z);
            } else {
                swap(a, result, x);
            }
        } else if (less.less(a[x], a[z])) {
            swap(a, result, x);
        } else if (less.less(a[y], a[z])) {
            swap(a, result, z);
        } else {
            swap(a, result, y);
        }
    }

    private static void finalInsertionSort(int[] a, int first, int last, Less less) {
        if (last - first > INSERTION_THRESHOLD) {
            insertionSort(a, first, first + INSERTION_THRESHOLD, less);
            for (int i = first + INSERTION_THRESHOLD; i < last; i++) {
                unguardedLinearInsert(a, i, less);
            }
        } else {
            insertionSort(a, first, last, less);
        }
    }

    private static void insertionSort(int[] a, int first, int last, Less less) {
        if (first == last) {
            return;
        }
        for (int i = first + 1; i < last; i++) {
            if (less.less(a[i], a[first])) {
                int value = a[i];
                System.arraycopy(a, first, a, first + 1, i - first);
                a[first] = value;
            } else {
                unguardedLinearInsert(a, i, less);
            }
        }
    }

    private static void unguardedLinearInsert(int[] a, int last, Less less) {
        int value = a[last];
        int next = last - 1;
        // unguarded in C++: a smaller element to the left always stops it, except under a comparison that is not a
        // strict weak order (mode's plain < with NaN), where C++ reads out of bounds; here it stops at the start
        while (next >= 0 && less.less(value, a[next])) {
            a[last] = a[next];
            last = next;
            next--;
        }
        a[last] = value;
    }

    // ------------------------------------------------------------------------------------------------ heaps

    private static void heapSelect(int[] a, int first, int middle, int last, Less less) {
        makeHeap(a, first, middle, less);
        for (int i = middle; i < last; i++) {
            if (less.less(a[i], a[first])) {
                popHeap(a, first, middle, i, less);
            }
        }
    }

    private static void makeHeap(int[] a, int first, int last, Less less) {
        int len = last - first;
        if (len < 2) {
            return;
        }
        for (int parent = (len - 2) / 2; ; parent--) {
            adjustHeap(a, first, parent, len, a[first + parent], less);
            if (parent == 0) return;
        }
    }

    private static void popHeap(int[] a, int first, int last, int result, Less less) {
        int value = a[result];
        a[result] = a[first];
        adjustHeap(a, first, 0, last - first, value, less);
    }

    private static void adjustHeap(int[] a, int first, int hole, int len, int value, Less less) {
        int top = hole;
        int child = hole;
        while (child < (len - 1) / 2) {
            child = 2 * (child + 1);
            if (less.less(a[first + child], a[first + child - 1])) child--;
            a[first + hole] = a[first + child];
            hole = child;
        }
        if ((len & 1) == 0 && child == (len - 2) / 2) {
            child = 2 * (child + 1);
            a[first + hole] = a[first + child - 1];
            hole = child - 1;
        }
        int parent = (hole - 1) / 2;
        while (hole > top && less.less(a[first + parent], value)) {
            a[first + hole] = a[first + parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        a[first + hole] = value;
    }
}
