package dev.hypha.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Picocli's factory for commands and mixins: a class with a {@code (CliContext)} constructor gets
 * the context; anything else is made by picocli's default factory.
 *
 * <p>This is how every command reaches the environment, streams and clock without statics.
 */
final class ContextFactory implements CommandLine.IFactory {
    private final CliContext context;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    ContextFactory(CliContext context) {
        this.context = context;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        Constructor<K> withContext;
        try {
            withContext = cls.getDeclaredConstructor(CliContext.class);
        } catch (NoSuchMethodException e) {
            return fallback.create(cls);
        }
        withContext.setAccessible(true);
        return withContext.newInstance(context);
    }
}
