package io.caravan.app;

import picocli.CommandLine.IVersionProvider;

/** Version from the JAR manifest, "development" when run from classes. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"caravan " + (v == null ? "development" : v)};
    }
}
