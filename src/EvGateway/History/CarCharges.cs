using System.Globalization;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Data.Sqlite;

namespace EvGateway.History;

/// <summary>
/// The car_charge table's SQL: sessions the car's own cloud listed that the gateway had missed; and car_charge_read,
/// the day each car's list was last asked for (<c>attempted_day</c>) and last read in full (<c>read_day</c>).
/// </summary>
public static class CarCharges
{
    private const string DayFormat = "yyyy-MM-dd";

    /// <summary>Stores the sessions of <paramref name="vin"/>; one already held (same start) is skipped. Returns how many were new.</summary>
    public static int Insert(SqliteConnection connection, string vin, IEnumerable<CarChargeSession> charges) => HistorySql.ForEachRow(connection, """
            INSERT OR IGNORE INTO car_charge (vin, start_at, end_at, start_level, end_level, energy_kwh, power_kw)
            VALUES ($vin, $start, $end, $startLevel, $endLevel, $energy, $power);
            """,
        ["$vin", "$start", "$end", "$startLevel", "$endLevel", "$energy", "$power"],
        charges.Select(charge => new object?[]
        {
            vin.ToUpperInvariant(), charge.Start.ToUnixTimeMilliseconds(), charge.End?.ToUnixTimeMilliseconds(), charge.StartLevel,
            charge.EndLevel, charge.EnergyKwh, charge.PowerKw,
        }));

    /// <summary>The stored sessions of <paramref name="vin"/> that started in [from, to), oldest first.</summary>
    public static List<CarChargeSession> Read(SqliteConnection connection, string vin, DateTimeOffset from, DateTimeOffset to) =>
        HistorySql.ReadWindow(connection, """
            SELECT start_at, end_at, start_level, end_level, energy_kwh, power_kw FROM car_charge
            WHERE vin = $vin AND start_at >= $from AND start_at < $to ORDER BY start_at;
            """, vin, from, to,
            reader => new CarChargeSession(HistorySql.Instant(reader, 0), reader.IsDBNull(1) ? null : HistorySql.Instant(reader, 1),
                HistorySql.Nullable(reader, 2), HistorySql.Nullable(reader, 3), HistorySql.Nullable(reader, 4), HistorySql.Nullable(reader, 5)));

    /// <summary>The UTC day the list of <paramref name="vin"/> was last asked for, and the last day it was read in full (null: never).</summary>
    public static (DateOnly? Attempted, DateOnly? Read) ReadDays(SqliteConnection connection, string vin)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT attempted_day, read_day FROM car_charge_read WHERE vin = $vin;";
        command.Parameters.AddWithValue("$vin", vin.ToUpperInvariant());
        using var reader = command.ExecuteReader();
        return reader.Read() ? (Day(reader, 0), Day(reader, 1)) : (null, null);
    }

    /// <summary>Keeps the days of <paramref name="vin"/>; no attempt at all (a refused one undone) forgets the car.</summary>
    public static void SaveDays(SqliteConnection connection, string vin, DateOnly? attempted, DateOnly? read)
    {
        using var command = connection.CreateCommand();
        if (attempted is null)
        {
            command.CommandText = "DELETE FROM car_charge_read WHERE vin = $vin;";
            command.Parameters.AddWithValue("$vin", vin.ToUpperInvariant());
            command.ExecuteNonQuery();
            return;
        }

        command.CommandText = """
            INSERT INTO car_charge_read (vin, attempted_day, read_day) VALUES ($vin, $attempted, $read)
            ON CONFLICT (vin) DO UPDATE SET attempted_day = excluded.attempted_day, read_day = excluded.read_day;
            """;
        command.Parameters.AddWithValue("$vin", vin.ToUpperInvariant());
        command.Parameters.AddWithValue("$attempted", attempted.Value.ToString(DayFormat, CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$read", (object?)read?.ToString(DayFormat, CultureInfo.InvariantCulture) ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    private static DateOnly? Day(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateOnly.ParseExact(reader.GetString(ordinal), DayFormat, CultureInfo.InvariantCulture);
}
