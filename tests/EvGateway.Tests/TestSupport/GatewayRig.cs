using System.Globalization;
using EvGateway.Accounts;
using EvGateway.Charging;
using EvGateway.History;
using EvGateway.HomeAutomation;
using EvGateway.Hosting;
using EvGateway.Legacy;
using EvGateway.Manufacturers.Psa;
using EvGateway.Manufacturers.Renault;
using EvGateway.Simulator;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using EvGateway.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace EvGateway.Tests.TestSupport;

/// <summary>
/// The makers a test gateway is set up for: without HTTP, the adapters composed; for the whole gateway, which
/// registers both as Program does, the makers its settings name (the others stay inert).
/// </summary>
[Flags]
internal enum Makers
{
    None = 0,
    Renault = 1,
    Psa = 2,
    All = Renault | Psa,
}

/// <summary>
/// The one composition of a test gateway: the Add*/Use*/Map* calls Program.cs makes, and the few things a test
/// replaces — the clock, the metrics registry (one per host), a captured log, the settings that point the adapters at
/// the simulated clouds, and stand-in cars. <see cref="GatewayApp"/> and <see cref="GatewayServices"/> host it.
/// </summary>
internal static class GatewayRig
{
    // The ports a stand-in may fill in place of a maker's adapter.
    private static readonly Type[] Ports =
        [typeof(IVehicleProvider), typeof(IDelayedChargeStart), typeof(IChargeScheduling), typeof(IDailyChargeScheduling), typeof(IChargeLimit)];

    /// <summary>
    /// The settings demo mode writes for <paramref name="simulator"/>, for the given makers only (the others stay
    /// inert), with the Renault retry pause off (it runs on the fake clock and would wait for an Advance), the Renault
    /// call budget equal to the simulated quota, and the refresh policy <c>never</c>.
    /// </summary>
    public static Dictionary<string, string?> SimulatorSettings(CloudSimulator simulator, Makers makers)
    {
        var settings = DemoMode.SimulatorSettings(simulator)
            .Where(setting => Wanted(setting.Key, makers))
            .ToDictionary(setting => setting.Key, setting => setting.Value);
        if (makers.HasFlag(Makers.Renault))
        {
            settings["Renault:RetryDelayMilliseconds"] = "0";
            // The gateway's budget is the cloud's quota, as for an owner who leaves the whole quota to the gateway.
            settings["Renault:CallBudgetPerHour"] = simulator.Renault.CallsPerHour.ToString(CultureInfo.InvariantCulture);
        }

        // No background refresh and no pacing of scripted reads unless a test asks: its cloud calls are the ones it made.
        settings["Gateway:RefreshPolicy"] = "never";
        return settings;
    }

    /// <summary>
    /// The services of Program.cs without hosting, demo mode and the stored accounts (whose file joins a web host's
    /// configuration): the makers asked for, the core, charging, history and the legacy routes.
    /// </summary>
    public static void Compose(IServiceCollection services, IConfiguration configuration, Makers makers)
    {
        if (makers.HasFlag(Makers.Renault))
        {
            services.AddRenault(configuration);
        }

        if (makers.HasFlag(Makers.Psa))
        {
            services.AddPsa(configuration);
        }

        services.AddVehicles();
        services.AddCharging(configuration);
        services.AddHistory(configuration);
        services.AddLegacy();
        services.AddHomeAutomation(configuration);
    }

    /// <summary>
    /// Program.cs's composition with its hosting (errors, validation, the LAN guard, metrics), the account list and
    /// the pages, but no maker and no demo mode.
    /// </summary>
    public static void ComposeWithoutMakers(WebApplicationBuilder builder)
    {
        builder.AddGatewayHosting();
        builder.AddAccounts();
        Compose(builder.Services, builder.Configuration, Makers.None);
        builder.Services.AddWeb();
    }

    /// <summary>Program.cs's pipeline and routes.</summary>
    public static void Map(WebApplication app)
    {
        app.UseGatewayHosting();
        app.MapVehicles();
        app.MapLegacy();
        app.MapCharging();
        app.MapHistory();
        app.MapAccounts();
        app.MapWeb();
        app.MapHomeAutomation();
    }

    /// <summary>What every test host replaces after composition; stand-ins join the adapters under each port they implement.</summary>
    public static void Override(IServiceCollection services, TimeProvider time, CapturedLog log, IEnumerable<object> standIns)
    {
        services.Replace(ServiceDescriptor.Singleton(time));
        // Counters of this host alone: a test reads what it caused, not what other tests did.
        services.Replace(ServiceDescriptor.Singleton(new GatewayMetrics(Prometheus.Metrics.NewCustomRegistry())));
        services.AddSingleton<ILoggerProvider>(log);
        foreach (var standIn in standIns)
        {
            var ports = Ports.Where(port => port.IsInstanceOfType(standIn)).ToList();
            if (ports.Count == 0)
            {
                throw new ArgumentException($"{standIn.GetType().Name} stands in for no port of the gateway.", nameof(standIns));
            }

            foreach (var port in ports)
            {
                services.AddSingleton(port, standIn);
            }
        }
    }

    /// <summary>Adds <paramref name="more"/> to <paramref name="settings"/>, its values winning.</summary>
    public static Dictionary<string, string?> With(this Dictionary<string, string?> settings, IDictionary<string, string?>? more)
    {
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    private static bool Wanted(string key, Makers makers) => key.Split(':')[0] switch
    {
        "Renault" => makers.HasFlag(Makers.Renault),
        "Psa" => makers.HasFlag(Makers.Psa),
        _ => true,
    };
}
