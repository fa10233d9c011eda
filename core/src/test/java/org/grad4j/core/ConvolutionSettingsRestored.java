package org.grad4j.core;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes that change {@link Convolution}'s settings (thread count, split threshold, tile paths): records
 * them before each test and puts them back after it, so that a test's settings never leak into the next one.
 * Use with {@code @ExtendWith(ConvolutionSettingsRestored.class)}.
 */
final class ConvolutionSettingsRestored implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ConvolutionSettingsRestored.class);

    private record Settings(int threads, long minParallelWork, boolean tilesEnabled, int forwardTilesMinRows,
            int weightGradTilesMinChannels) {
        static Settings current() {
            return new Settings(Convolution.threads, Convolution.minParallelWork, Convolution.tilesEnabled,
                    Convolution.forwardTilesMinRows, Convolution.weightGradTilesMinChannels);
        }

        void restore() {
            Convolution.threads = threads;
            Convolution.minParallelWork = minParallelWork;
            Convolution.tilesEnabled = tilesEnabled;
            Convolution.forwardTilesMinRows = forwardTilesMinRows;
            Convolution.weightGradTilesMinChannels = weightGradTilesMinChannels;
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
