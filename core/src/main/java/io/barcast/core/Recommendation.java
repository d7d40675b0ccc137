package io.barcast.core;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A trade suggested by a forecast: the best long (buy, then sell) or short (sell, then buy) inside
 * its week on the predicted path. A newer forecast of the symbol supersedes it: the same id comes
 * again with status {@code superseded}, so a table or a compacted topic keeps its history.
 *
 * @param id deterministic: the forecast's id and the side
 * @param predictionId the forecast it came from
 * @param symbol the symbol
 * @param asOf the forecast's as-of bar start (epoch ms)
 * @param side {@code long} or {@code short}
 * @param entryTime bar start (epoch ms) of the bar at whose predicted close to enter; the as-of bar
 *     itself when entering at the last close
 * @param entryPrice the price to enter at
 * @param exitTime bar start (epoch ms) of the bar at whose predicted close to exit
 * @param targetPrice the price to exit at
 * @param stopLoss the price at which to give up
 * @param expectedReturnPercent profit at the target, in percent of the entry price
 * @param riskReward reward at the target over risk at the stop-loss
 * @param confidence the forecast's confidence
 * @param modelVersion the version of the model that made the forecast
 * @param status {@code active}, {@code superseded}, or {@code expired} (its symbol went silent for
 *     longer than the state is kept, so no newer forecast will supersede it)
 * @param supersededBy the id of the forecast that superseded it, else null
 * @param createdAt the forecast's wall-clock time
 */
public record Recommendation(
        String id,
        String predictionId,
        String symbol,
        long asOf,
        String side,
        long entryTime,
        double entryPrice,
        long exitTime,
        double targetPrice,
        double stopLoss,
        double expectedReturnPercent,
        double riskReward,
        double confidence,
        String modelVersion,
        String status,
        String supersededBy,
        long createdAt) {

    public static final String ACTIVE = "active";
    public static final String SUPERSEDED = "superseded";
    public static final String EXPIRED = "expired";

    public static String idOf(String predictionId, String side) {
        String key = predictionId + "\u0000" + side;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** This recommendation, superseded by the forecast {@code predictionId}. */
    public Recommendation supersededBy(String predictionId) {
        return withStatus(SUPERSEDED, predictionId);
    }

    /** This recommendation, expired with its symbol's state. */
    public Recommendation expired() {
        return withStatus(EXPIRED, null);
    }

    private Recommendation withStatus(String newStatus, String newSupersededBy) {
        return new Recommendation(
                id,
                predictionId,
                symbol,
                asOf,
                side,
                entryTime,
                entryPrice,
                exitTime,
                targetPrice,
                stopLoss,
                expectedReturnPercent,
                riskReward,
                confidence,
                modelVersion,
                newStatus,
                newSupersededBy,
                createdAt);
    }
}
