using EvGateway.Simulator;
using EvGateway.Simulator.Psa;
using EvGateway.Simulator.Renault;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;
using EvGateway.Vehicles.Budget;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Primitives;

namespace EvGateway.Hosting;

/// <summary>
/// With no maker configured (or Gateway:Demo=true), the gateway runs the simulated clouds in-process and serves
/// their cars through a second set of the real adapters pointed at them, so a new user sees cars at once and every
/// route works. The owner's own adapters stay as configured (the real clouds), so connecting a real account through
/// /setup ends demo mode at once: the demo cars go, the real ones come, without a restart.
/// <see cref="DemoClouds"/> decides after composition, so where AddDemoMode stands among the Add calls does not matter.
/// </summary>
public static class DemoMode
{
    public static WebApplicationBuilder AddDemoMode(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DemoClouds>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DemoClouds>());
        builder.Services.AddSingleton<IVehicleProviderSource>(services => services.GetRequiredService<DemoClouds>());
        builder.Services.AddSingleton<IMakerAccountSource>(services => services.GetRequiredService<DemoClouds>());
        builder.Services.AddSingleton<IChargeLimit, DemoChargeLimit>();
        builder.Services.AddSingleton<IChargeScheduling, DemoChargeScheduling>();
        builder.Services.AddSingleton<IDailyChargeScheduling, DemoDailyChargeScheduling>();
        builder.Services.AddSingleton<IDelayedChargeStart, DemoDelayedChargeStart>();
        return builder;
    }

    /// <summary>
    /// Starts the simulated clouds when demo mode is wanted; runs after composition and before anything is served
    /// (the first thing the application pipeline does).
    /// </summary>
    public static WebApplication UseDemoMode(this WebApplication app)
    {
        app.Services.GetService<DemoClouds>()?.StartIfWanted();
        return app;
    }

    /// <summary>The configuration that points every adapter at a simulator (also used by tests).</summary>
    public static Dictionary<string, string?> SimulatorSettings(CloudSimulator simulator) => new()
    {
        ["Renault:Username"] = RenaultCloud.DemoUsername,
        ["Renault:Password"] = RenaultCloud.DemoPassword,
        ["Renault:GigyaUrl"] = simulator.Renault.GigyaUrl.ToString(),
        ["Renault:KamereonUrl"] = simulator.Renault.KamereonUrl.ToString(),
        ["Psa:Brand"] = PsaCloud.Brand,
        ["Psa:ClientId"] = PsaCloud.DemoClientId,
        ["Psa:ClientSecret"] = PsaCloud.DemoClientSecret,
        ["Psa:RefreshToken"] = PsaCloud.DemoRefreshToken,
        ["Psa:RemoteRefreshToken"] = PsaCloud.DemoRemoteRefreshToken,
        ["Psa:CustomerId"] = PsaCloud.DemoCustomerId,
        ["Psa:TokenUrl"] = simulator.Psa.TokenUrl.ToString(),
        ["Psa:AuthorizeUrl"] = simulator.Psa.AuthorizeUrl.ToString(),
        ["Psa:CarAssociationsUrl"] = simulator.Psa.CarAssociationsUrl.ToString(),
        ["Psa:ApiUrl"] = simulator.Psa.ApiUrl.ToString(),
        ["Psa:RemoteTokenUrl"] = simulator.Psa.RemoteTokenUrl.ToString(),
        ["Psa:SmsCodeUrl"] = simulator.Psa.Pairing.SmsCodeUrl.ToString(),
        ["Psa:OtpUrl"] = simulator.Psa.Pairing.OtpUrl.ToString(),
        ["Psa:Mqtt:Host"] = PsaCloud.MqttHost,
        ["Psa:Mqtt:Port"] = simulator.Psa.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Psa:Mqtt:UseTls"] = simulator.Psa.MqttUsesTls ? "true" : "false",
        ["Tariff:Url"] = simulator.TariffUrl.ToString(),
    };
}

/// <summary>
/// The simulated clouds of demo mode and the demo adapters pointed at them (a container of their own, composed with
/// each maker's own registration). Started when no maker is configured; ended when one becomes configured (an
/// account connected through /setup) or when the gateway stops.
/// </summary>
public sealed class DemoClouds(IEnumerable<MakerSetup> makers, IConfiguration configuration, ILoggerFactory loggers,
    IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<DemoClouds> logger)
    : IHostedService, IVehicleProviderSource, IMakerAccountSource, IAsyncDisposable
{
    private readonly Lock gate = new();
    private ServiceProvider? adapters;
    private IReadOnlyList<IVehicleProvider> providers = [];
    private IDisposable? watch;

    /// <summary>The running simulator, or null when the gateway serves real accounts only.</summary>
    public CloudSimulator? Simulator { get; private set; }

    public IReadOnlyList<IVehicleProvider> Providers => providers;

    public string Title => "Try it on the simulated clouds (demo)";

    public string? Hint => Simulator is { } simulator
        ? $"The demo login {RenaultCloud.DemoTwoFactorUsername} (password {RenaultCloud.DemoPassword}) asks for Renault's e-mailed " +
          $"code; the simulated e-mail appears in the gateway's log and at {simulator.Renault.EmailsPageUrl}. Nothing here touches a real account."
        : null;

    public IReadOnlyList<IMakerAccount> Accounts => adapters?.GetServices<IMakerAccount>().ToArray() ?? [];

    /// <summary>The demo adapters' services while demo mode runs (their capability ports), else null.</summary>
    internal IServiceProvider? Adapters => adapters;

    /// <summary>Demo mode is on when Gateway:Demo says so, and otherwise when no maker's settings name an account.</summary>
    public bool IsWanted() =>
        configuration.GetValue<bool?>("Gateway:Demo") ?? !makers.Any(maker => maker.IsConfigured(configuration));

    public void StartIfWanted()
    {
        if (Simulator is not null || !IsWanted())
        {
            return;
        }

        // The simulated PSA cloud logs the texted pairing code into the gateway's log, where the person trying the demo reads it.
        Simulator = CloudSimulator.StartAsync(new SimulatorOptions { LoggerFactory = loggers }).GetAwaiter().GetResult();
        Simulator.Renault.CodeEmailed += LogSimulatedEmail;
        var settings = DemoMode.SimulatorSettings(Simulator);
        // A new simulator only knows its initial tokens and no pairing: the demo keeps its own data folder and forgets
        // the tokens and the soft token a previous demo run kept, so a second start works as well as the first.
        var demoData = Path.Combine(configuration["Gateway:DataDirectory"] ?? new GatewayOptions().DataDirectory, "demo");
        foreach (var previous in new[] { "psa-tokens.json", "psa-otp.json" }.Select(file => Path.Combine(demoData, file)).Where(File.Exists))
        {
            File.Delete(previous);
        }

        settings["Gateway:DataDirectory"] = demoData;
        var demoConfiguration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(demoConfiguration);
        collection.AddLogging();
        collection.Replace(ServiceDescriptor.Singleton(loggers));
        // The demo's adapters keep the simulator's time (the machine's), whatever clock the gateway itself runs on.
        collection.AddSingleton(TimeProvider.System);
        // A login tried on the demo's accounts stays with the demo: it is kept in the demo's own settings, and the
        // directory forgets the demo cars it replaces.
        collection.AddSingleton<IAccountSettingsStore>(new DemoAccountSettings(demoConfiguration));
        collection.AddSingleton(_ => services.GetRequiredService<VehicleDirectory>());
        // The demo accounts spend the gateway's budgets, so /api/accounts and /metrics show what the demo cars cost.
        collection.AddSingleton(_ => services.GetRequiredService<CallBudgets>());
        foreach (var maker in makers)
        {
            maker.Register(collection, demoConfiguration);
        }

        adapters = collection.BuildServiceProvider();
        providers = adapters.GetServices<IVehicleProvider>().ToArray();
        // An account the owner connects (stored settings, or any other change of configuration) ends the demo.
        if (configuration.GetValue<bool?>("Gateway:Demo") is null)
        {
            watch = ChangeToken.OnChange(configuration.GetReloadToken, EndIfAccountConnected);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (adapters is null)
        {
            return;
        }

        foreach (var service in adapters.GetServices<IHostedService>())
        {
            await service.StartAsync(cancellationToken);
        }

        lifetime.ApplicationStarted.Register(Announce);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await EndAsync(stopping: true);

    public async ValueTask DisposeAsync() => await EndAsync(stopping: true);

    private void EndIfAccountConnected()
    {
        if (adapters is not null && !IsWanted())
        {
            logger.LogInformation("An account is connected: demo mode ends and its simulated cars go");
            _ = EndAsync(stopping: false);
        }
    }

    // While the gateway runs, the directory forgets the demo cars; while it stops, the container may be gone already.
    private async Task EndAsync(bool stopping)
    {
        ServiceProvider? ending;
        CloudSimulator? simulator;
        lock (gate)
        {
            (ending, simulator, adapters, Simulator) = (adapters, Simulator, null, null);
            providers = [];
            watch?.Dispose();
            watch = null;
        }

        if (!stopping)
        {
            services.GetService<VehicleDirectory>()?.Invalidate();
        }

        if (ending is not null)
        {
            foreach (var service in ending.GetServices<IHostedService>().Reverse())
            {
                await service.StopAsync(CancellationToken.None);
            }

            await ending.DisposeAsync();
        }

        if (simulator is not null)
        {
            await simulator.DisposeAsync();
        }
    }

    private void Announce()
    {
        var addresses = services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
        var url = (addresses?.FirstOrDefault() ?? "http://localhost:5000").Replace("0.0.0.0", "localhost").Replace("[::]", "localhost");
        logger.LogInformation("Demo mode: no car maker is configured, serving simulated cars. Open {Url}/setup to connect your car, " +
                              "or {Url}/swagger for the API", url.TrimEnd('/'), url.TrimEnd('/'));
        if (Simulator is { } simulator)
        {
            logger.LogInformation("Demo mode: the Renault login {Login} (password {Password}) asks for an e-mailed code; the codes appear in this log and at {Page}",
                RenaultCloud.DemoTwoFactorUsername, RenaultCloud.DemoPassword, simulator.Renault.EmailsPageUrl);
        }
    }

    // Nobody receives the simulated e-mail: the person trying the demo reads the code here.
    private void LogSimulatedEmail(SimulatedEmail email) =>
        logger.LogWarning("SIMULATED e-mail to {To}: MyRenault verification code {Code} (nothing was sent)", email.To, email.Code);
}

/// <summary>Settings a login on a demo account gives, kept in the demo's own configuration only (never on disk).</summary>
internal sealed class DemoAccountSettings(IConfigurationRoot demo) : IAccountSettingsStore
{
    public Task SaveAsync(string section, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        foreach (var (key, value) in settings)
        {
            demo[$"{section}:{key}"] = value;
        }

        // The demo adapters read their settings through options that follow the configuration's reload signal.
        demo.Reload();
        return Task.CompletedTask;
    }
}
