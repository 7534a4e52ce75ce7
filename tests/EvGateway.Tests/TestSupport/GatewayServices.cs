using EvGateway.Charging.Control;
using EvGateway.Simulator;
using EvGateway.Vehicles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.TestSupport;

/// <summary>
/// The gateway's services without HTTP, composed by <see cref="GatewayRig.Compose"/> (the Add* calls of Program.cs)
/// plus the rig's overrides, every log line captured down to Trace. Nothing runs by itself: hosted services stay
/// stopped, so a test drives an adapter call by call or the charge controller pass by pass in simulated time.
/// </summary>
internal sealed class GatewayServices : IAsyncDisposable
{
    private readonly Makers makers;
    private readonly IReadOnlyList<object> standIns;
    private readonly TestBed? bed;
    private readonly bool ownsBed;
    private readonly TemporaryDirectory? folder;
    private ServiceProvider services;

    private GatewayServices(FakeTimeProvider time, Dictionary<string, string?> settings, Makers makers, IEnumerable<object> standIns, TestBed? bed,
        bool ownsBed, TemporaryDirectory? folder)
    {
        this.makers = makers;
        this.standIns = [.. standIns];
        this.bed = bed;
        this.ownsBed = ownsBed;
        this.folder = folder;
        Time = time;
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services = Build();
    }

    public FakeTimeProvider Time { get; }
    public CloudSimulator Simulator => bed?.Simulator ?? throw new InvalidOperationException("These services were composed without simulated clouds.");

    /// <summary>The container, for tests that exercise one piece (the auth handler, the hosted session, the tariff client).</summary>
    public IServiceProvider Services => services;

    /// <summary>The gateway's configuration: <see cref="Reconfigure"/> edits it while the gateway runs.</summary>
    public IConfigurationRoot Configuration { get; }

    /// <summary>Everything the gateway logged, across restarts.</summary>
    public CapturedLog Log { get; } = new();

    /// <summary>Where the gateway keeps its settings and tokens.</summary>
    public string DataDirectory => Configuration["Gateway:DataDirectory"]!;

    /// <summary>The one maker adapter (or stand-in) these services hold.</summary>
    public IVehicleProvider Provider => services.GetServices<IVehicleProvider>().Single();

    public ChargeController Controller => Get<ChargeController>();
    public ChargeControlStore Store => Get<ChargeControlStore>();

    /// <summary>
    /// The services over the given makers' adapters and stand-ins, on <paramref name="time"/> (a fresh fake clock when
    /// null) and <paramref name="dataDirectory"/> (a folder of their own when null).
    /// </summary>
    public static GatewayServices Compose(Makers makers = Makers.None, IDictionary<string, string?>? settings = null,
        IEnumerable<object>? standIns = null, FakeTimeProvider? time = null, string? dataDirectory = null)
    {
        var folder = dataDirectory is null ? new TemporaryDirectory() : null;
        var all = new Dictionary<string, string?> { ["Gateway:DataDirectory"] = dataDirectory ?? folder!.Path }.With(settings);
        return new GatewayServices(time ?? new FakeTimeProvider(), all, makers, standIns ?? [], bed: null, ownsBed: false, folder);
    }

    /// <summary>
    /// The services over the given makers' adapters, pointed at the bed's clouds and data folder; with
    /// <paramref name="ownsBed"/> they dispose the bed after themselves.
    /// </summary>
    public static GatewayServices Compose(TestBed bed, Makers makers, IDictionary<string, string?>? settings = null, bool ownsBed = false) =>
        new(bed.Time, bed.Settings(makers).With(settings), makers, [], bed, ownsBed, folder: null);

    public T Get<T>() where T : notnull => services.GetRequiredService<T>();

    /// <summary>Checks the settings as a starting host does; a wrong one throws naming its key.</summary>
    public void Validate() => Get<IStartupValidator>().Validate();

    /// <summary>Changes a setting the way an edited appsettings.json does: the options monitors see a reload.</summary>
    public void Reconfigure(string key, string? value)
    {
        Configuration[key] = value;
        Configuration.Reload();
    }

    /// <summary>A gateway restart: the services are composed anew over the same configuration (edits included), clock, clouds and data folder.</summary>
    public async Task RestartAsync()
    {
        await services.DisposeAsync();
        services = Build();
    }

    public async Task<Vehicle> VehicleAsync(string vin) =>
        (await Provider.GetVehiclesAsync(TestContext.Current.CancellationToken)).Single(v => v.Vin == vin);

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

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        folder?.Dispose();
        if (ownsBed)
        {
            await bed!.DisposeAsync();
        }
    }

    private ServiceProvider Build()
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(Configuration);
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace));
        GatewayRig.Compose(collection, Configuration, makers);
        GatewayRig.Override(collection, Time, Log, standIns);
        return collection.BuildServiceProvider();
    }
}
