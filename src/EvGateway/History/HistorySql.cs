using Microsoft.Data.Sqlite;

namespace EvGateway.History;

/// <summary>How the history tables are written in bulk and read back: one prepared statement, one transaction.</summary>
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

    public static double? Nullable(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    public static DateTimeOffset Instant(SqliteDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
