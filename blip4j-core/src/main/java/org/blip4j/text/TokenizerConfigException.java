package org.blip4j.text;

import java.nio.file.Path;

/** A tokenizer or model-config file is missing, malformed or inconsistent; the message names the file(s). */
public class TokenizerConfigException extends RuntimeException {
    public TokenizerConfigException(String message) {
        super(message);
    }

    public TokenizerConfigException(Path file, String message) {
        super(file + ": " + message);
    }

    public TokenizerConfigException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }
}
