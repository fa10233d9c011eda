package org.grad4j.core;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes that change how work is split across threads ({@link ParallelParts}' thread count and threshold,
 * {@link Convolution}'s thread count, split threshold and tile paths): records the settings before each test and puts
 * them back after it, so that a test's settings never leak into the next one. Use with
 * {@code @ExtendWith(SplitSettingsRestored.class)}.
 */
final class SplitSettingsRestored implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SplitSettingsRestored.class);

    private record Settings(int parallelThreads, long parallelMinElements, int convThreads, long convMinParallelWork,
            boolean convTilesEnabled, int convForwardTilesMinRows, int convWeightGradTilesMinChannels) {
        static Settings current() {
            return new Settings(ParallelParts.threads, ParallelParts.minElements, Convolution.threads,
                    Convolution.minParallelWork, Convolution.tilesEnabled, Convolution.forwardTilesMinRows,
                    Convolution.weightGradTilesMinChannels);
        }

        void restore() {
            ParallelParts.threads = parallelThreads;
            ParallelParts.minElements = parallelMinElements;
            Convolution.threads = convThreads;
            Convolution.minParallelWork = convMinParallelWork;
            Convolution.tilesEnabled = convTilesEnabled;
            Convolution.forwardTilesMinRows = convForwardTilesMinRows;
            Convolution.weightGradTilesMinChannels = convWeightGradTilesMinChannels;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(Settings.class, Settings.current());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        context.getStore(NAMESPACE).get(Settings.class, Settings.class).restore();
    }
}
