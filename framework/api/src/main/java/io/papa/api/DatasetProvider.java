package io.papa.api;

/** A source of labelled images. Its options name where the data lives (directory, file, split seed...). */
public interface DatasetProvider extends PapaExtension {

    /**
     * Loads the dataset. Never downloads unless an option explicitly allows it; a missing or corrupt
     * source throws {@link DatasetException} naming the path and what was expected.
     */
    Dataset load(Options options);
}
