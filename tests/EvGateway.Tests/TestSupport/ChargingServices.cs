using EvGateway.Charging;
using EvGateway.Charging.Control;
using EvGateway.Manufacturers.Psa;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.TestSupport;

/// <summary>The charging services composed as AddCharging does, over the given adapters, without a web host.</summary>
internal sealed class ChargingServices : IAsyncDisposable
{
    private readonly ServiceProvider services;

    public ChargingServices(FakeTimeProvider time, string dataDirectory, IEnumerable<IVehicleProvider> providers,
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        Time = time;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:DataDirectory"] = dataDirectory,
                ["Charging:TimeZone"] = "Europe/Paris",
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<TimeProvider>(time);
        AddProviders(collection, providers);
        collection.AddSingleton<GatewayMetrics>(new GatewayMetrics(Prometheus.Metrics.NewCustomRegistry()));
        collection.AddSingleton<VehicleDirectory>();
        collection.AddSingleton<VehicleStatusCache>();
        collection.AddSingleton<VehicleCommands>();
        collection.AddCharging(configuration);
        configure?.Invoke(collection);
        services = collection.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; }
    public ChargeController Controller => services.GetRequiredService<ChargeController>();
    public ChargeControlStore Store => services.GetRequiredService<ChargeControlStore>();

    public T Get<T>() where T : notnull => services.GetRequiredService<T>();

    /// <summary>Runs the controller's passes as its loop would, stepping simulated time to each next due check.</summary>
    public async Task RunControllerForAsync(TimeSpan span)
    {
        var controller = Controller;
        var end = Time.GetUtcNow() + span;
        while (true)
        {
            var wait = await controller.RunDueChecksAsync(TestContext.Current.CancellationToken);
            var left = end - Time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            var step = wait < left ? wait : left;
            Time.Advance(step > TimeSpan.Zero ? step : TimeSpan.FromSeconds(1));
        }
    }

    public ValueTask DisposeAsync() => services.DisposeAsync();

    /// <summary>
    /// Registers the adapters and, as AddPsa does for PSA cars, the delayed-charge hour as their schedule (set through
    /// the remote-command door, so a stand-in adapter sees it as a command). A stand-in reports no armed programme,
    /// so the mode is read from the car's charge state.
    /// </summary>
    public static void AddProviders(IServiceCollection services, IEnumerable<IVehicleProvider> providers)
    {
        foreach (var provider in providers)
        {
            services.AddSingleton(provider);
            if (provider.Maker == PsaProvider.MakerName)
            {
                services.AddSingleton<IDelayedChargeStart>(new StandInDelayedStart(provider.Maker));
            }
        }
    }

    private sealed class StandInDelayedStart(string maker) : IDelayedChargeStart
    {
        public bool Supports(Vehicle vehicle) => vehicle.Maker == maker && vehicle.Has(VehicleCapability.ChargeSchedule);

        public bool? IsDelayedStartArmed(string vin) => null;

        public TimeOnly DefaultStart => new(22, 30);
    }
}
