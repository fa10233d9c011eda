package org.grad4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.BlockResult;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.TestBlockId;
import scala.Option;
import scala.collection.Iterator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Step-keyed values in Spark's block manager, readable from every executor and the driver. A block's name holds the
 * run, the kind, the step and the slice, and its value is a pure function of those: a re-run or speculative task
 * that writes it again writes the same value, and Spark keeps the first copy.
 */
final class BlockStore {
    private BlockStore() {
    }

    private static BlockManager manager() {
        SparkEnv env = SparkEnv.get();
        if (env == null) {
            throw new IllegalStateException("DistributedTrainer: no SparkEnv in this JVM; the sliced strategy runs"
                    + " inside Spark tasks or on the driver of a live SparkContext");
        }
        return env.blockManager();
    }

    static BlockId id(String run, String kind, long step, int a, int b) {
        return TestBlockId.apply("grad4j_" + run + "_" + kind + "_" + step + "_" + a + "_" + b);
    }

    /** Stores {@code value} (kept in memory, spilled to disk under pressure) and tells the master where it is. */
    static void put(BlockId id, Object value) {
        @SuppressWarnings("unchecked")
        ClassTag<Object> tag = (ClassTag<Object>) ClassTag$.MODULE$.apply(value.getClass());
        manager().putSingle(id, value, StorageLevel.MEMORY_AND_DISK(), true, tag);
    }

    /**
     * The value of a block, local or fetched from another executor. The value may be the stored object itself:
     * never modify it.
     */
    static <T> T get(BlockId id, Class<T> type) {
        @SuppressWarnings("unchecked")
        ClassTag<T> tag = (ClassTag<T>) ClassTag$.MODULE$.apply(type);
        Option<BlockResult> result = manager().get(id, tag);
        if (result.isEmpty()) {
            throw new IllegalStateException("DistributedTrainer: block " + id.name() + " is gone (an executor was"
                    + " lost?); the sliced strategy cannot continue this run: resume it from its last checkpoint");
        }
        Iterator<Object> values = result.get().data();
        Object value = values.next();
        while (values.hasNext()) { // draining the iterator releases the block's read lock
            values.next();
        }
        return type.cast(value);
    }

    /** Removes a block if this JVM's block manager holds it. */
    static void removeLocal(BlockId id) {
        BlockManager bm = manager();
        if (bm.getStatus(id).isDefined()) {
            bm.removeBlock(id, true);
        }
    }

    /**
     * Removes every block of a run from every executor (driver side), waiting up to 10 s for the executors to
     * confirm (the master forwards removals asynchronously).
     */
    static void removeRun(String run) {
        BlockManager bm = manager();
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<BlockId> left = blocksOf(run);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            for (BlockId id : left) {
                bm.master().removeBlock(id);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            left = blocksOf(run);
        }
    }

    /** The number of blocks of a run held anywhere in the cluster (driver side). */
    static int count(String run) {
        return blocksOf(run).size();
    }

    private static List<BlockId> blocksOf(String run) {
        BlockManager bm = manager();
        String prefix = "test_grad4j_" + run + "_";
        scala.collection.immutable.Seq<BlockId> ids = bm.master().getMatchingBlockIds(new NamePrefix(prefix), true);
        List<BlockId> list = new ArrayList<>();
        ids.foreach(new AbstractFunction1<BlockId, Object>() {
            @Override
            public Object apply(BlockId id) {
                list.add(id);
                return null;
            }
        });
        return list;
    }

    private static final class NamePrefix extends AbstractFunction1<BlockId, Object> implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String prefix;

        NamePrefix(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Object apply(BlockId id) {
            return id.name().startsWith(prefix);
        }
    }
}
