using System.Collections.Concurrent;
using EvGateway.Manufacturers.Psa;
using EvGateway.Simulator;
using EvGateway.Simulator.Psa;
using EvGateway.Vehicles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Manufacturers.Psa;

/// <summary>
/// The real PSA adapter, composed the way Program.cs composes it (AddPsa on in-memory configuration), pointed at a
/// simulator, with a data directory of its own and every log line captured.
/// </summary>
internal sealed class PsaTestGateway : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private PsaTestGateway(ServiceProvider services, IConfigurationRoot configuration, LogCollector logs)
    {
        this.services = services;
        Configuration = configuration;
        Logs = logs;
        Provider = services.GetServices<IVehicleProvider>().Single();
    }

    public IVehicleProvider Provider { get; }

    /// <summary>The container, for tests that exercise one internal piece (the auth handler, the hosted session).</summary>
    public IServiceProvider Services => services;

    public LogCollector Logs { get; }

    /// <summary>The gateway's configuration: set a value, then Reload(), to edit it while the gateway runs.</summary>
    public IConfigurationRoot Configuration { get; }

    public static PsaTestGateway Start(CloudSimulator simulator, TimeProvider time, string dataDirectory,
        IDictionary<string, string?>? overrides = null)
    {
        var psa = simulator.Psa;
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:DataDirectory"] = dataDirectory,
            ["Psa:Brand"] = "Peugeot",
            ["Psa:ClientId"] = PsaCloud.DemoClientId,
            ["Psa:ClientSecret"] = PsaCloud.DemoClientSecret,
            ["Psa:RefreshToken"] = PsaCloud.DemoRefreshToken,
            // The bare account id: the adapter must add the brand's prefix itself.
            ["Psa:CustomerId"] = PsaCloud.DemoAccountId,
            ["Psa:TokenUrl"] = psa.TokenUrl.ToString(),
            ["Psa:ApiUrl"] = psa.ApiUrl.ToString(),
            ["Psa:RemoteTokenUrl"] = psa.RemoteTokenUrl.ToString(),
            ["Psa:Mqtt:Host"] = PsaCloud.MqttHost,
            ["Psa:Mqtt:Port"] = psa.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Psa:Mqtt:UseTls"] = "false",
            ["Psa:RemoteRefreshToken"] = PsaCloud.DemoRemoteRefreshToken,
            ["Psa:CommandTimeoutSeconds"] = "2",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new LogCollector();
        var collection = new ServiceCollection();
        collection.AddSingleton(time);
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        collection.AddPsa(configuration);
        var services = collection.BuildServiceProvider();
        try
        {
            return new PsaTestGateway(services, configuration, logs);
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

    public Task<string> CurrentAccessTokenAsync(CancellationToken cancellationToken) =>
        services.GetRequiredService<PsaTokenProvider>().GetAccessTokenAsync(cancellationToken);

    public Task<string> RenewAccessTokenAsync(string rejected, CancellationToken cancellationToken) =>
        services.GetRequiredService<PsaTokenProvider>().RenewAsync(rejected, cancellationToken);

    public async Task<Vehicle> VehicleAsync(string vin, CancellationToken cancellationToken) =>
        (await Provider.GetVehiclesAsync(cancellationToken)).Single(v => v.Vin == vin);

    public ValueTask DisposeAsync() => services.DisposeAsync();
}

/// <summary>Every line any logger wrote, exceptions included, so tests can prove no secret leaks.</summary>
internal sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Collector(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Collector(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}

/// <summary>Things every PSA integration test needs: a fake clock, a simulator, a temporary data directory.</summary>
internal sealed class PsaTestBed : IAsyncDisposable
{
    private PsaTestBed(FakeTimeProvider time, CloudSimulator simulator, string dataDirectory)
    {
        Time = time;
        Simulator = simulator;
        DataDirectory = dataDirectory;
    }

    public FakeTimeProvider Time { get; }
    public CloudSimulator Simulator { get; }
    public PsaCloud Psa => Simulator.Psa;
    public string DataDirectory { get; }

    public static async Task<PsaTestBed> StartAsync(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        var simulator = await CloudSimulator.StartAsync(new SimulatorOptions { TimeProvider = time, CarTimeZone = TimeZoneInfo.Utc },
            cancellationToken);
        var dataDirectory = Directory.CreateTempSubdirectory("evgateway-psa-").FullName;
        return new PsaTestBed(time, simulator, dataDirectory);
    }

    public PsaTestGateway StartGateway(IDictionary<string, string?>? overrides = null) =>
        PsaTestGateway.Start(Simulator, Time, DataDirectory, overrides);

    /// <summary>Waits (bounded) for something the adapter or the simulator does on another thread.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, bound.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
