/// Lumen's version, as `lumen --version` prints it and exported models record it.
/// Before 1.0 the minor version rises with each set of capabilities.
public let lumenVersion = "0.9.0"
