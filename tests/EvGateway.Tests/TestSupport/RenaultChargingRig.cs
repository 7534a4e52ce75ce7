using EvGateway.Manufacturers.Renault;
using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.TestSupport;

/// <summary>The charging routes over the real Renault adapter against a simulated Renault cloud, on one fake clock.</summary>
internal sealed class RenaultChargingRig(CloudSimulator simulator, ChargingTestHost host) : IAsyncDisposable
{
    public CloudSimulator Simulator { get; } = simulator;
    public ChargingTestHost Host { get; } = host;
    public HttpClient Client => Host.Client;

    /// <summary>Starts both; <paramref name="before"/> may add cars to the simulated cloud before the gateway lists them.</summary>
    public static async Task<RenaultChargingRig> StartAsync(FakeTimeProvider time, string dataDirectory, TimeZoneInfo? carTimeZone = null,
        Action<RenaultCloud>? before = null)
    {
        var simulator = await CloudSimulator.StartAsync(
            new SimulatorOptions { TimeProvider = time, RenaultCallsPerHour = 10_000, CarTimeZone = carTimeZone ?? TimeZoneInfo.Utc },
            TestContext.Current.CancellationToken);
        before?.Invoke(simulator.Renault);
        var settings = SettingsFor(simulator);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var host = await ChargingTestHost.StartAsync(time, dataDirectory, [], settings, services => services.AddRenault(configuration));
        return new RenaultChargingRig(simulator, host);
    }

    /// <summary>The settings that point the real Renault adapter at a simulated cloud.</summary>
    public static Dictionary<string, string?> SettingsFor(CloudSimulator simulator) => new()
    {
        ["Renault:Username"] = RenaultCloud.DemoUsername,
        ["Renault:Password"] = RenaultCloud.DemoPassword,
        ["Renault:GigyaUrl"] = simulator.Renault.GigyaUrl.ToString(),
        ["Renault:KamereonUrl"] = simulator.Renault.KamereonUrl.ToString(),
        ["Renault:RetryDelayMilliseconds"] = "0",
        ["Renault:RequestTimeoutSeconds"] = "60",
    };

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
