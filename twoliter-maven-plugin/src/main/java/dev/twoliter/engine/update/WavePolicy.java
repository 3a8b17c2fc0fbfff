package dev.twoliter.engine.update;

import dev.twoliter.engine.TwoliterException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a staged rollout into the {@code waves} of an update in {@code manifest.json}, as
 * Bottlerocket's updater reads them: each machine draws a seed below {@value #SEEDS} once, and may
 * take the update from the start time of the first wave whose bound is above its seed. The waves
 * must grow in time and in share, and the last must reach the whole fleet: a fleet left partly
 * without a start time would depend on how a client treats seeds beyond every wave.
 */
public final class WavePolicy {
    public static final int SEEDS = 2048;
    private static final Duration MAX_START_AFTER = Duration.ofDays(366);

    private final List<UpdateWave> waves;

    private WavePolicy(List<UpdateWave> waves) {
        this.waves = waves;
    }

    /** No waves: every machine may take the update as soon as it is published. */
    public static WavePolicy immediate() {
        return new WavePolicy(List.of());
    }

    /** Checks the waves; {@code where} names their source for messages (a POM parameter). */
    public static WavePolicy of(List<UpdateWave> waves, String where) throws TwoliterException {
        if (waves.size() > 64) {
            throw new TwoliterException(where + " lists " + waves.size() + " waves; at most 64 are allowed.");
        }
        Duration lastStart = Duration.ofSeconds(-1);
        int lastShare = 0;
        for (int i = 0; i < waves.size(); i++) {
            UpdateWave w = waves.get(i);
            String which = where + " wave " + (i + 1);
            if (w.startAfter() == null || w.startAfter().isNegative() || w.startAfter().compareTo(MAX_START_AFTER) > 0) {
                throw new TwoliterException(which + " starts after " + w.startAfter()
                        + "; give a duration from 0 to 366 days (for example PT1H or \"4 hours\").");
            }
            if (w.fleetPercentage() < 1 || w.fleetPercentage() > 100) {
                throw new TwoliterException(which + " covers " + w.fleetPercentage()
                        + "% of the fleet; give a whole percentage from 1 to 100.");
            }
            if (w.startAfter().compareTo(lastStart) <= 0 || w.fleetPercentage() <= lastShare) {
                throw new TwoliterException(which + " (" + w.fleetPercentage() + "% after " + w.startAfter()
                        + ") must start later and cover more of the fleet than the wave before it.");
            }
            lastStart = w.startAfter();
            lastShare = w.fleetPercentage();
        }
        if (!waves.isEmpty() && lastShare != 100) {
            throw new TwoliterException(where + " ends at " + lastShare + "% of the fleet; the last wave must cover"
                    + " 100%, so that every machine gets a start time.");
        }
        return new WavePolicy(List.copyOf(waves));
    }

    /** The manifest's waves for an update published at {@code published}: seed bound → start time. */
    public Map<Integer, Instant> seeds(Instant published) {
        Map<Integer, Instant> seeds = new TreeMap<>();
        Instant base = published.truncatedTo(ChronoUnit.SECONDS);
        for (UpdateWave w : waves) {
            seeds.put(w.fleetPercentage() * SEEDS / 100, base.plus(w.startAfter()));
        }
        return seeds;
    }

    public List<UpdateWave> waves() {
        return waves;
    }
}
