package io.papa.api;

/** The value types an extension option may declare. */
public enum OptionType {
    INT,
    DOUBLE,
    BOOLEAN,
    STRING,
    /** One of a fixed list of strings, see {@link OptionSpec#choices()}. */
    CHOICE,
    PATH
}
