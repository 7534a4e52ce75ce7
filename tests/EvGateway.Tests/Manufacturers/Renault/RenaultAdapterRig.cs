using System.Globalization;
using EvGateway.Manufacturers.Renault;
using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using EvGateway.Vehicles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Manufacturers.Renault;

/// <summary>
/// The real Renault adapter, built the way the gateway builds it (AddRenault on configuration), pointed at a simulator
/// on its own free port. Adapter and clouds share one fake clock, so token expiry and quota cool-downs are driven
/// by <see cref="Time"/>.Advance, never by waiting. Each rig has its own data directory (the stored login lives there)
/// and captures every log line, down to Trace, in <see cref="Log"/>.
/// </summary>
internal sealed class RenaultAdapterRig : IAsyncDisposable
{
    private RenaultAdapterRig(CloudSimulator simulator, FakeTimeProvider time, IConfigurationRoot configuration, string dataDirectory)
    {
        Simulator = simulator;
        Time = time;
        Configuration = configuration;
        DataDirectory = dataDirectory;
        (Services, Provider) = BuildAdapter();
    }

    public CloudSimulator Simulator { get; }
    public RenaultCloud Cloud => Simulator.Renault;
    public FakeTimeProvider Time { get; }
    public IConfigurationRoot Configuration { get; }
    public string DataDirectory { get; }
    public CapturedLog Log { get; } = new();
    public ServiceProvider Services { get; private set; }
    public IVehicleProvider Provider { get; private set; }
    public RenaultTokenProvider Tokens => Services.GetRequiredService<RenaultTokenProvider>();
    public RenaultLoginFlow Login => Services.GetRequiredService<RenaultLoginFlow>();

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<RenaultAdapterRig> StartAsync(int callsPerHour = 10_000, string password = RenaultCloud.DemoPassword,
        IDictionary<string, string?>? settings = null, string username = RenaultCloud.DemoUsername)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z", CultureInfo.InvariantCulture));
        var simulator = await CloudSimulator.StartAsync(new SimulatorOptions { TimeProvider = time, RenaultCallsPerHour = callsPerHour }, Ct);
        var dataDirectory = Directory.CreateTempSubdirectory("evgateway-renault-").FullName;
        var values = new Dictionary<string, string?>
        {
            ["Renault:Username"] = username,
            ["Renault:Password"] = password,
            ["Renault:GigyaUrl"] = simulator.Renault.GigyaUrl.ToString(),
            ["Renault:KamereonUrl"] = simulator.Renault.KamereonUrl.ToString(),
            // The resilience pipeline waits on the shared fake clock too; a pause between retries would wait for an Advance.
            ["Renault:RetryDelayMilliseconds"] = "0",
            ["Gateway:DataDirectory"] = dataDirectory,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new RenaultAdapterRig(simulator, time, configuration, dataDirectory);
    }

    /// <summary>A gateway restart: a new adapter on the same configuration and data directory, against the same cloud.</summary>
    public async Task RestartAdapterAsync()
    {
        await Services.DisposeAsync();
        (Services, Provider) = BuildAdapter();
    }

    public string StoredSessionPath => Path.Combine(DataDirectory, RenaultSessionStore.FileName);

    public async Task<Vehicle> VehicleAsync(string vin) =>
        (await Provider.GetVehiclesAsync(Ct)).Single(v => v.Vin == vin);

    /// <summary>Changes a setting the way an edited appsettings.json does: the options monitor sees a reload.</summary>
    public void Reconfigure(string key, string value)
    {
        Configuration[key] = value;
        Configuration.Reload();
    }

    /// <summary>Lets fake time pass while <paramref name="pending"/> waits on a cloud that never answers, so the
    /// adapter's timeouts (measured on the fake clock) fire.</summary>
    public async Task<T> AdvanceUntilDoneAsync<T>(Task<T> pending, TimeSpan step)
    {
        while (!pending.IsCompleted)
        {
            Time.Advance(step);
            await Task.WhenAny(pending, Task.Delay(TimeSpan.FromMilliseconds(20), Ct));
        }

        return await pending;
    }

    public int TotalCalls() => Cloud.CallCounts().Values.Sum();

    private (ServiceProvider Services, IVehicleProvider Provider) BuildAdapter()
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(Log).SetMinimumLevel(LogLevel.Trace))
            .AddSingleton<TimeProvider>(Time)
            .AddRenault(Configuration)
            .BuildServiceProvider();
        services.GetRequiredService<IStartupValidator>().Validate();
        return (services, services.GetServices<IVehicleProvider>().Single());
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Simulator.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
