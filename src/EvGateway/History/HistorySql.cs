using Microsoft.Data.Sqlite;

namespace EvGateway.History;

/// <summary>How the history tables are written in bulk (one prepared statement, one transaction) and read back by time window.</summary>
public static class HistorySql
{
    /// <summary>
    /// Runs <paramref name="sql"/> once per row (values in the order of <paramref name="names"/>, null as NULL) in one
    /// transaction, then <paramref name="alsoInTransaction"/> before the commit; returns how many rows changed.
    /// </summary>
    public static int ForEachRow(SqliteConnection connection, string sql, string[] names, IEnumerable<object?[]> rows,
        Action<SqliteTransaction>? alsoInTransaction = null)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var parameters = names.Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        var changed = 0;
        foreach (var values in rows)
        {
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            changed += command.ExecuteNonQuery();
        }

        alsoInTransaction?.Invoke(transaction);
        transaction.Commit();
        return changed;
    }

    /// <summary>
    /// The rows <paramref name="sql"/> selects in the window [<paramref name="from"/>, <paramref name="to"/>) (its
    /// <c>$from</c> and <c>$to</c>, in Unix milliseconds) and, when given, of one car (its <c>$vin</c>), each made by
    /// <paramref name="row"/>, in the order the query gives them.
    /// </summary>
    public static List<T> ReadWindow<T>(SqliteConnection connection, string sql, string? vin, DateTimeOffset from, DateTimeOffset to,
        Func<SqliteDataReader, T> row)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (vin is not null)
        {
            command.Parameters.AddWithValue("$vin", vin.ToUpperInvariant());
        }

        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(row(reader));
        }

        return rows;
    }

    public static double? Nullable(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    public static DateTimeOffset Instant(SqliteDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
