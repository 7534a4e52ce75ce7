using System.Globalization;
using EvGateway.Manufacturers.Renault;
using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using EvGateway.Vehicles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Renault;

/// <summary>
/// The real Renault adapter, built the way the gateway builds it (AddRenault on configuration), pointed at a simulator
/// on its own free port. Adapter and clouds share one fake clock, so token expiry and quota cool-downs are driven
/// by <see cref="Time"/>.Advance, never by waiting.
/// </summary>
internal sealed class RenaultAdapterRig : IAsyncDisposable
{
    private RenaultAdapterRig(CloudSimulator simulator, FakeTimeProvider time, IConfigurationRoot configuration, ServiceProvider services)
    {
        Simulator = simulator;
        Time = time;
        Configuration = configuration;
        Services = services;
        Provider = services.GetServices<IVehicleProvider>().Single();
    }

    public CloudSimulator Simulator { get; }
    public RenaultCloud Cloud => Simulator.Renault;
    public FakeTimeProvider Time { get; }
    public IConfigurationRoot Configuration { get; }
    public ServiceProvider Services { get; }
    public IVehicleProvider Provider { get; }
    public RenaultTokenProvider Tokens => Services.GetRequiredService<RenaultTokenProvider>();

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<RenaultAdapterRig> StartAsync(int callsPerHour = 10_000, string password = RenaultCloud.DemoPassword,
        IDictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z", CultureInfo.InvariantCulture));
        var simulator = await CloudSimulator.StartAsync(new SimulatorOptions { TimeProvider = time, RenaultCallsPerHour = callsPerHour }, Ct);
        var values = new Dictionary<string, string?>
        {
            ["Renault:Username"] = RenaultCloud.DemoUsername,
            ["Renault:Password"] = password,
            ["Renault:GigyaUrl"] = simulator.Renault.GigyaUrl.ToString(),
            ["Renault:KamereonUrl"] = simulator.Renault.KamereonUrl.ToString(),
            // The resilience pipeline waits on the shared fake clock too; a pause between retries would wait for an Advance.
            ["Renault:RetryDelayMilliseconds"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(time)
            .AddRenault(configuration)
            .BuildServiceProvider();
        services.GetRequiredService<IStartupValidator>().Validate();
        return new RenaultAdapterRig(simulator, time, configuration, services);
    }

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

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
