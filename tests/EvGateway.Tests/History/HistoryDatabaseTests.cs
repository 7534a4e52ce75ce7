using EvGateway.History;
using EvGateway.Vehicles;
using Microsoft.Data.Sqlite;

namespace EvGateway.Tests.History;

public sealed class HistoryDatabaseTests
{
    private const string Vin = "VF1AG000164000001";
    private static readonly DateTimeOffset Noon = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_history_file_is_owner_only_in_WAL_mode_at_the_current_schema_version()
    {
        using var store = new HistoryStore();
        using var connection = store.Database.Open();

        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal((long)HistoryDatabase.CurrentVersion, Scalar(connection, "SELECT version FROM schema_version;"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
        }
    }

    [Fact]
    public void Reopening_a_file_keeps_its_samples_and_applies_no_migration_twice()
    {
        using var store = new HistoryStore();
        using (var connection = store.Database.Open())
        {
            HistorySamples.Insert(connection, [Sample(Noon, level: 50)]);
        }

        store.OpenDatabase();
        using var again = store.Database.Open();

        Assert.Single(store.Read(Vin));
        Assert.Equal(1L, Scalar(again, "SELECT COUNT(*) FROM schema_version;"));
        Assert.Single(store.Log.Lines, line => line.Contains("schema moved to version 1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_of_the_first_schema_gains_the_price_and_health_tables_and_keeps_its_samples()
    {
        using var store = new HistoryStore();
        using (var old = new SqliteConnection($"Data Source={store.FilePath};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);
                CREATE TABLE sample (vin TEXT NOT NULL, at INTEGER NOT NULL, fetched_at INTEGER NOT NULL, battery_level REAL, range_km REAL,
                    odometer_km REAL, plug_state INTEGER NOT NULL, charge_state INTEGER NOT NULL, charge_power_kw REAL, latitude REAL,
                    longitude REAL, PRIMARY KEY (vin, at)) WITHOUT ROWID;
                """;
            create.ExecuteNonQuery();
            HistorySamples.Insert(old, [Sample(Noon, level: 50)]);
        }

        store.OpenDatabase();
        using var connection = store.Database.Open();

        Assert.Single(store.Read(Vin));
        Assert.Equal((long)HistoryDatabase.CurrentVersion, Scalar(connection, "SELECT version FROM schema_version;"));
        Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM price_slot;"));
        Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM charge_price;"));
        Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM battery_health;"));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_set_aside_with_one_log_line_and_a_new_history_starts()
    {
        using var store = new HistoryStore();
        File.WriteAllBytes(store.FilePath, Enumerable.Range(0, 8192).Select(i => (byte)(i * 37 % 251)).ToArray());

        using (var connection = store.Database.Open())
        {
            HistorySamples.Insert(connection, [Sample(Noon, level: 50)]);
        }

        var setAside = Assert.Single(Directory.GetFiles(store.Directory, "history.db.corrupt-*"));
        Assert.Equal(8192, new FileInfo(setAside).Length);
        var line = Assert.Single(store.Log.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
        Assert.Contains("unreadable", line, StringComparison.Ordinal);
        Assert.Contains(setAside, line, StringComparison.Ordinal);
        Assert.Single(store.Read(Vin));
    }

    [Fact]
    public void The_same_car_time_is_one_sample_however_often_it_is_recorded()
    {
        using var store = new HistoryStore();
        using var connection = store.Database.Open();

        var first = HistorySamples.Insert(connection, [Sample(Noon, level: 50), Sample(Noon, level: 50)]);
        var again = HistorySamples.Insert(connection, [Sample(Noon, level: 50), Sample(Noon.AddMinutes(5), level: 49)]);

        Assert.Equal(1, first);
        Assert.Equal(1, again);
        Assert.Equal([50.0, 49.0], store.Read(Vin).Select(s => s.BatteryLevel!.Value));
    }

    [Fact]
    public void What_was_committed_before_a_crash_is_there_when_the_files_left_behind_are_opened()
    {
        using var store = new HistoryStore();
        using var writer = store.Database.Open();
        HistorySamples.Insert(writer, [Sample(Noon, level: 50), Sample(Noon.AddMinutes(1), level: 51)]);

        // The files as a kill -9 leaves them: the writer's connection is still open, nothing was checkpointed.
        using var crashed = new HistoryStore();
        foreach (var suffix in new[] { "", "-wal" })
        {
            File.Copy(store.FilePath + suffix, crashed.FilePath + suffix);
        }

        Assert.True(new FileInfo(crashed.FilePath + "-wal").Length > 0);
        Assert.Equal([50.0, 51.0], crashed.Read(Vin).Select(s => s.BatteryLevel!.Value));
        Assert.DoesNotContain(crashed.Log.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    private static HistorySample Sample(DateTimeOffset at, double level) =>
        new(Vin, at, at, level, 200, 1000, PlugState.Unplugged, ChargeState.NotCharging, null, 48.8, 2.3);

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
