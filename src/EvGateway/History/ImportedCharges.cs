using EvGateway.Vehicles;
using Microsoft.Data.Sqlite;

namespace EvGateway.History;

/// <summary>The imported_charge table's SQL: charging sessions another tool recorded, with the cost it gave them.</summary>
public static class ImportedCharges
{
    /// <summary>Stores the sessions; one already held (same car, same start) is skipped. Returns how many were new.</summary>
    public static int Insert(SqliteConnection connection, IEnumerable<ImportedCharge> charges)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT OR IGNORE INTO imported_charge (vin, start_at, end_at, start_level, end_level, energy_kwh, cost)
            VALUES ($vin, $start, $end, $startLevel, $endLevel, $energy, $cost);
            """;
        var parameters = new[] { "$vin", "$start", "$end", "$startLevel", "$endLevel", "$energy", "$cost" }
            .Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name }))
            .ToArray();
        var inserted = 0;
        foreach (var charge in charges)
        {
            object?[] values =
            [
                charge.Vin.ToUpperInvariant(), charge.Start.ToUnixTimeMilliseconds(), charge.End?.ToUnixTimeMilliseconds(), charge.StartLevel,
                charge.EndLevel, charge.EnergyKwh, charge.Cost,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            inserted += command.ExecuteNonQuery();
        }

        transaction.Commit();
        return inserted;
    }

    /// <summary>The imported sessions of <paramref name="vin"/> that started in [from, to), oldest first.</summary>
    public static List<ImportedCharge> Read(SqliteConnection connection, string vin, DateTimeOffset from, DateTimeOffset to)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT vin, start_at, end_at, start_level, end_level, energy_kwh, cost FROM imported_charge
            WHERE vin = $vin AND start_at >= $from AND start_at < $to ORDER BY start_at;
            """;
        command.Parameters.AddWithValue("$vin", vin.ToUpperInvariant());
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        using var reader = command.ExecuteReader();
        var charges = new List<ImportedCharge>();
        while (reader.Read())
        {
            charges.Add(new ImportedCharge(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                Nullable(reader, 3), Nullable(reader, 4), Nullable(reader, 5), Nullable(reader, 6)));
        }

        return charges;
    }

    private static double? Nullable(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
}
