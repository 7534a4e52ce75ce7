using EvGateway.Vehicles;
using Microsoft.Data.Sqlite;

namespace EvGateway.History;

/// <summary>The imported_charge table's SQL: charging sessions another tool recorded, with the cost it gave them.</summary>
public static class ImportedCharges
{
    /// <summary>Stores the sessions; one already held (same car, same start) is skipped. Returns how many were new.</summary>
    public static int Insert(SqliteConnection connection, IEnumerable<ImportedCharge> charges) => HistorySql.ForEachRow(connection, """
            INSERT OR IGNORE INTO imported_charge (vin, start_at, end_at, start_level, end_level, energy_kwh, cost)
            VALUES ($vin, $start, $end, $startLevel, $endLevel, $energy, $cost);
            """,
        ["$vin", "$start", "$end", "$startLevel", "$endLevel", "$energy", "$cost"],
        charges.Select(charge => new object?[]
        {
            charge.Vin.ToUpperInvariant(), charge.Start.ToUnixTimeMilliseconds(), charge.End?.ToUnixTimeMilliseconds(), charge.StartLevel,
            charge.EndLevel, charge.EnergyKwh, charge.Cost,
        }));

    /// <summary>The imported sessions of <paramref name="vin"/> that started in [from, to), oldest first.</summary>
    public static List<ImportedCharge> Read(SqliteConnection connection, string vin, DateTimeOffset from, DateTimeOffset to) =>
        HistorySql.ReadWindow(connection, """
            SELECT vin, start_at, end_at, start_level, end_level, energy_kwh, cost FROM imported_charge
            WHERE vin = $vin AND start_at >= $from AND start_at < $to ORDER BY start_at;
            """, vin, from, to,
            reader => new ImportedCharge(reader.GetString(0), HistorySql.Instant(reader, 1), reader.IsDBNull(2) ? null : HistorySql.Instant(reader, 2),
                HistorySql.Nullable(reader, 3), HistorySql.Nullable(reader, 4), HistorySql.Nullable(reader, 5), HistorySql.Nullable(reader, 6)));
}
