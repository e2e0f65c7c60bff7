package org.blip4j.nn;

import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of a model, keyed by checkpoint name, plus aliases: names under which a checkpoint may also
 * store a tied parameter (the LM head's decoder weight is the word-embedding matrix; pre-training shares most
 * of the text encoder with the decoder). An alias is accepted on load when present and is written on save.
 */
public final class ParameterSet {
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Parameter> aliases = new LinkedHashMap<>();

    public Parameter register(String name, Shape shape, Init init) {
        return register(name, shape, init, 0f);
    }

    public Parameter register(String name, Shape shape, Init init, float initValue) {
        if (params.containsKey(name) || aliases.containsKey(name)) {
            throw new IllegalStateException("parameter '" + name + "' registered twice");
        }
        Parameter p = new Parameter(name, shape, init, initValue);
        params.put(name, p);
        return p;
    }

    /** Declares {@code alias} as another checkpoint name of {@code target}. */
    public void alias(String alias, Parameter target) {
        if (params.containsKey(alias) || aliases.containsKey(alias)) {
            throw new IllegalStateException("alias '" + alias + "' clashes with an existing name");
        }
        aliases.put(alias, target);
    }

    /** Owned parameters, in registration order. */
    public Map<String, Parameter> parameters() {
        return Collections.unmodifiableMap(params);
    }

    public Map<String, Parameter> aliases() {
        return Collections.unmodifiableMap(aliases);
    }

    public Parameter get(String name) {
        Parameter p = params.get(name);
        if (p == null) {
            p = aliases.get(name);
        }
        if (p == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'");
        }
        return p;
    }

    public boolean contains(String name) {
        return params.containsKey(name) || aliases.containsKey(name);
    }

    public long count(String prefix) {
        long n = 0;
        for (Parameter p : params.values()) {
            if (p.name().startsWith(prefix)) {
                n += p.shape().size();
            }
        }
        return n;
    }

    public void close() {
        for (Parameter p : params.values()) {
            if (p.hasArray()) {
                p.array().close();
            }
        }
    }
}
