using EvGateway.Vehicles;
using Microsoft.Data.Sqlite;

namespace EvGateway.History;

/// <summary>A state of health the car reported, in percent.</summary>
public sealed record BatteryHealthDto(DateTimeOffset At, double SohPercent);

/// <summary>
/// The battery_health table's SQL: like the old bridge, a reading is kept only when it differs from the one before
/// it, so a car that reports the same value all year keeps one row.
/// </summary>
public static class BatteryHealth
{
    private const string Insert = "INSERT OR IGNORE INTO battery_health (vin, at, soh_percent) VALUES ($vin, $at, $soh);";

    /// <summary>Keeps the samples' readings that change the car's value; part of the caller's transaction.</summary>
    public static void Record(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<HistorySample> samples)
    {
        using var previous = connection.CreateCommand();
        previous.Transaction = transaction;
        previous.CommandText = "SELECT soh_percent FROM battery_health WHERE vin = $vin AND at <= $at ORDER BY at DESC LIMIT 1;";
        var vin = previous.Parameters.Add("$vin", SqliteType.Text);
        var at = previous.Parameters.Add("$at", SqliteType.Integer);
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = Insert;
        var insertVin = insert.Parameters.Add("$vin", SqliteType.Text);
        var insertAt = insert.Parameters.Add("$at", SqliteType.Integer);
        var soh = insert.Parameters.Add("$soh", SqliteType.Real);
        foreach (var sample in samples.Where(s => s.BatteryHealthPercent is not null).OrderBy(s => s.At))
        {
            vin.Value = insertVin.Value = sample.Vin;
            at.Value = insertAt.Value = sample.At.ToUnixTimeMilliseconds();
            if (previous.ExecuteScalar() is double known && known == sample.BatteryHealthPercent)
            {
                continue;
            }

            soh.Value = sample.BatteryHealthPercent;
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>Keeps readings another tool kept (already one per change); returns how many were new.</summary>
    public static int Import(SqliteConnection connection, IEnumerable<ImportedBatteryHealth> readings) => HistorySql.ForEachRow(connection,
        Insert, ["$vin", "$at", "$soh"], readings.Select(r => new object?[] { r.Vin.ToUpperInvariant(), r.At.ToUnixTimeMilliseconds(), r.Percent }));

    /// <summary>Every kept reading of the car, oldest first.</summary>
    public static List<BatteryHealthDto> Read(SqliteConnection connection, string vin)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT at, soh_percent FROM battery_health WHERE vin = $vin ORDER BY at;";
        command.Parameters.AddWithValue("$vin", vin.ToUpperInvariant());
        using var reader = command.ExecuteReader();
        var readings = new List<BatteryHealthDto>();
        while (reader.Read())
        {
            readings.Add(new BatteryHealthDto(HistorySql.Instant(reader, 0), reader.GetDouble(1)));
        }

        return readings;
    }
}
