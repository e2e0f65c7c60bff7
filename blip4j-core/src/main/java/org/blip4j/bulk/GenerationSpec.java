package org.blip4j.bulk;

import java.io.Serializable;
import org.blip4j.generate.GenerationOptions;

/** {@link GenerationOptions} as serializable values (shipped inside cluster jobs; rebuilt equal on workers). */
public final class GenerationSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String strategy;
    private final int numBeams;
    private final int maxLength;
    private final int minLength;
    private final double repetitionPenalty;
    private final double lengthPenalty;
    private final boolean earlyStopping;
    private final double topP;
    private final int topK;
    private final double temperature;
    private final int numReturnSequences;
    private final long seed;
    private final boolean suppressEos;

    public GenerationSpec(GenerationOptions g) {
        this.strategy = g.strategy().name();
        this.numBeams = g.numBeams();
        this.maxLength = g.maxLength();
        this.minLength = g.minLength();
        this.repetitionPenalty = g.repetitionPenalty();
        this.lengthPenalty = g.lengthPenalty();
        this.earlyStopping = g.earlyStopping();
        this.topP = g.topP();
        this.topK = g.topK();
        this.temperature = g.temperature();
        this.numReturnSequences = g.numReturnSequences();
        this.seed = g.seed();
        this.suppressEos = g.suppressEos();
    }

    public GenerationOptions options() {
        return new GenerationOptions(GenerationOptions.Strategy.valueOf(strategy), numBeams, maxLength, minLength,
                repetitionPenalty, lengthPenalty, earlyStopping, topP, topK, temperature, numReturnSequences, seed,
                suppressEos);
    }
}
