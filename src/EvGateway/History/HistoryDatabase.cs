using System.Globalization;
using EvGateway.Vehicles;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace EvGateway.History;

/// <summary>
/// The history file (history.db in Gateway:DataDirectory, mode 0600) in WAL mode, so the one writer and any number
/// of readers, each on its own connection, do not block each other. The schema is brought up to date on first use by
/// applying the migrations the file has not seen, in order. A file SQLite cannot read is set aside beside it (so the
/// owner may still rescue it) and a new one is started: losing the history must not stop the gateway.
/// </summary>
public sealed class HistoryDatabase
{
    public const string FileName = "history.db";

    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    /// <summary>Each entry moves the schema one version up; append, never edit a shipped one.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE sample (
            vin TEXT NOT NULL,
            at INTEGER NOT NULL,
            fetched_at INTEGER NOT NULL,
            battery_level REAL,
            range_km REAL,
            odometer_km REAL,
            plug_state INTEGER NOT NULL,
            charge_state INTEGER NOT NULL,
            charge_power_kw REAL,
            latitude REAL,
            longitude REAL,
            PRIMARY KEY (vin, at)
        ) WITHOUT ROWID;
        """,
        """
        CREATE TABLE price_slot (
            start_at INTEGER PRIMARY KEY,
            end_at INTEGER NOT NULL,
            price REAL NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE charge_price (
            vin TEXT NOT NULL,
            start_at INTEGER NOT NULL,
            price_per_kwh REAL,
            cost REAL,
            PRIMARY KEY (vin, start_at)
        ) WITHOUT ROWID;
        CREATE TABLE battery_health (
            vin TEXT NOT NULL,
            at INTEGER NOT NULL,
            soh_percent REAL NOT NULL,
            PRIMARY KEY (vin, at)
        ) WITHOUT ROWID;
        CREATE TABLE imported_charge (
            vin TEXT NOT NULL,
            start_at INTEGER NOT NULL,
            end_at INTEGER,
            start_level REAL,
            end_level REAL,
            energy_kwh REAL,
            cost REAL,
            PRIMARY KEY (vin, start_at)
        ) WITHOUT ROWID;
        """,
        """
        CREATE TABLE car_charge (
            vin TEXT NOT NULL,
            start_at INTEGER NOT NULL,
            end_at INTEGER,
            start_level REAL,
            end_level REAL,
            energy_kwh REAL,
            power_kw REAL,
            PRIMARY KEY (vin, start_at)
        ) WITHOUT ROWID;
        CREATE TABLE car_charge_read (
            vin TEXT PRIMARY KEY,
            attempted_day TEXT NOT NULL,
            read_day TEXT
        ) WITHOUT ROWID;
        """,
    ];

    private readonly TimeProvider time;
    private readonly ILogger<HistoryDatabase> logger;
    private readonly Lazy<string> connectionString;

    public HistoryDatabase(IOptions<GatewayOptions> gateway, TimeProvider time, ILogger<HistoryDatabase> logger)
    {
        this.time = time;
        this.logger = logger;
        FilePath = Path.GetFullPath(Path.Combine(gateway.Value.DataDirectory, FileName));
        connectionString = new Lazy<string>(Prepare, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string FilePath { get; }

    /// <summary>The schema version this build writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>A new open connection to an up-to-date file; the caller disposes it.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString.Value);
        connection.Open();
        return connection;
    }

    private string Prepare()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var text = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Pooled connections would keep the file open after the gateway let go of it, and opening is cheap.
            Pooling = false,
        }.ToString();
        try
        {
            Migrate(text);
        }
        catch (SqliteException failure) when (failure.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            var setAside = SetAside();
            logger.LogError("The history file {File} is unreadable ({Reason}); it was moved to {SetAside} and a new history was started",
                FilePath, failure.SqliteErrorCode == SqliteCorrupt ? "corrupt" : "not a database", setAside);
            Migrate(text);
        }

        return text;
    }

    private void Migrate(string text)
    {
        CreateOwnerOnly(FilePath);
        using var connection = new SqliteConnection(text);
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        // A page that reads wrong surfaces here, at start, rather than in the middle of a query hours later.
        using (var check = connection.CreateCommand())
        {
            check.CommandText = "PRAGMA quick_check;";
            if (check.ExecuteScalar() is not "ok")
            {
                throw new SqliteException("quick_check failed", SqliteCorrupt);
            }
        }

        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);");
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
        var version = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
        for (var next = version; next < Migrations.Length; next++)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, Migrations[next], transaction);
            Execute(connection, $"DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ({next + 1});", transaction);
            transaction.Commit();
            logger.LogInformation("History schema moved to version {Version}", next + 1);
        }
    }

    private string SetAside()
    {
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var target = $"{FilePath}.corrupt-{stamp}";
        File.Move(FilePath, target, overwrite: true);
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            if (File.Exists(FilePath + suffix))
            {
                File.Move(FilePath + suffix, target + suffix, overwrite: true);
            }
        }

        return target;
    }

    // SQLite gives its -wal and -shm files the mode of the database file, so owner-only from the start covers all three.
    private static void CreateOwnerOnly(string path)
    {
        if (File.Exists(path) || OperatingSystem.IsWindows())
        {
            return;
        }

        using var _ = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
