using EvGateway.Vehicles;
using Microsoft.Data.Sqlite;

namespace EvGateway.History;

/// <summary>The sample table's SQL: what the writer inserts and the readers query, times as Unix milliseconds.</summary>
public static class HistorySamples
{
    /// <summary>
    /// Inserts the samples, and the states of health they carry, in one transaction; a sample the file already holds
    /// (same car, same car time) is skipped.
    /// </summary>
    public static int Insert(SqliteConnection connection, IReadOnlyCollection<HistorySample> samples) => HistorySql.ForEachRow(connection, """
            INSERT OR IGNORE INTO sample (vin, at, fetched_at, battery_level, range_km, odometer_km, plug_state, charge_state,
                                          charge_power_kw, latitude, longitude)
            VALUES ($vin, $at, $fetched, $level, $range, $odometer, $plug, $charge, $power, $lat, $lon);
            """,
        ["$vin", "$at", "$fetched", "$level", "$range", "$odometer", "$plug", "$charge", "$power", "$lat", "$lon"],
        samples.Select(sample => new object?[]
        {
            sample.Vin, sample.At.ToUnixTimeMilliseconds(), sample.FetchedAt.ToUnixTimeMilliseconds(), sample.BatteryLevel,
            sample.RangeKm, sample.OdometerKm, (int)sample.PlugState, (int)sample.ChargeState, sample.ChargePowerKw,
            sample.Latitude, sample.Longitude,
        }),
        transaction => BatteryHealth.Record(connection, transaction, samples));

    /// <summary>The samples of one car with a car time in [from, to), oldest first.</summary>
    public static List<HistorySample> Read(SqliteConnection connection, string vin, DateTimeOffset from, DateTimeOffset to) =>
        HistorySql.ReadWindow(connection, """
            SELECT vin, at, fetched_at, battery_level, range_km, odometer_km, plug_state, charge_state, charge_power_kw, latitude, longitude
            FROM sample WHERE vin = $vin AND at >= $from AND at < $to ORDER BY at;
            """, vin, from, to,
            reader => new HistorySample(
                reader.GetString(0),
                HistorySql.Instant(reader, 1),
                HistorySql.Instant(reader, 2),
                HistorySql.Nullable(reader, 3), HistorySql.Nullable(reader, 4), HistorySql.Nullable(reader, 5),
                (PlugState)reader.GetInt32(6), (ChargeState)reader.GetInt32(7),
                HistorySql.Nullable(reader, 8), HistorySql.Nullable(reader, 9), HistorySql.Nullable(reader, 10)));
}
