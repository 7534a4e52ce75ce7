using EvGateway.Simulator;
using EvGateway.Simulator.Psa;
using EvGateway.Simulator.Renault;
using EvGateway.Vehicles;

namespace EvGateway.Hosting;

/// <summary>
/// With no maker configured (or Gateway:Demo=true), the gateway runs the simulated clouds in-process and points the
/// real adapters at them, so a new user sees cars at once and every route works. <see cref="DemoClouds"/> decides,
/// starts and owns the simulator once every service is composed, so where AddDemoMode stands among the Add calls does
/// not matter.
/// </summary>
public static class DemoMode
{
    public static WebApplicationBuilder AddDemoMode(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DemoClouds>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DemoClouds>());
        return builder;
    }

    /// <summary>
    /// Starts the simulated clouds when demo mode is wanted; runs after composition and before any adapter reads its
    /// settings (the first thing the application pipeline does).
    /// </summary>
    public static WebApplication UseDemoMode(this WebApplication app)
    {
        // The application's configuration is the builder's ConfigurationManager: sources added now reach every options reader.
        if (app.Configuration is IConfigurationBuilder configuration)
        {
            app.Services.GetService<DemoClouds>()?.StartIfWanted(configuration);
        }

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
        ["Psa:Mqtt:Host"] = PsaCloud.MqttHost,
        ["Psa:Mqtt:Port"] = simulator.Psa.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Psa:Mqtt:UseTls"] = "false",
        ["Tariff:Url"] = simulator.TariffUrl.ToString(),
    };
}

/// <summary>The simulated clouds of demo mode: started when no maker is configured, announced at start, stopped with the gateway.</summary>
public sealed class DemoClouds(IEnumerable<MakerSetup> makers, IServiceProvider services, IHostApplicationLifetime lifetime,
    ILogger<DemoClouds> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>The running simulator, or null when the gateway serves real accounts.</summary>
    public CloudSimulator? Simulator { get; private set; }

    /// <summary>Demo mode is on when Gateway:Demo says so, and otherwise when no maker's settings name an account.</summary>
    public bool IsWanted(IConfiguration configuration) =>
        configuration.GetValue<bool?>("Gateway:Demo") ?? !makers.Any(maker => maker.IsConfigured(configuration));

    public void StartIfWanted(IConfigurationBuilder configuration)
    {
        var current = (IConfiguration)configuration;
        if (Simulator is not null || !IsWanted(current))
        {
            return;
        }

        Simulator = CloudSimulator.StartAsync(new SimulatorOptions()).GetAwaiter().GetResult();
        var settings = DemoMode.SimulatorSettings(Simulator);
        // A new simulator only knows its initial tokens: the demo keeps its own data folder and forgets the tokens a
        // previous demo run rotated, so a second start works as well as the first.
        var demoData = Path.Combine(current["Gateway:DataDirectory"] ?? new GatewayOptions().DataDirectory, "demo");
        var rotatedTokens = Path.Combine(demoData, "psa-tokens.json");
        if (File.Exists(rotatedTokens))
        {
            File.Delete(rotatedTokens);
        }

        settings["Gateway:DataDirectory"] = demoData;
        configuration.AddInMemoryCollection(settings);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Simulator is not null)
        {
            lifetime.ApplicationStarted.Register(Announce);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (Simulator is { } simulator)
        {
            Simulator = null;
            await simulator.DisposeAsync();
        }
    }

    private void Announce()
    {
        var addresses = services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
        var url = (addresses?.FirstOrDefault() ?? "http://localhost:5000").Replace("0.0.0.0", "localhost").Replace("[::]", "localhost");
        logger.LogInformation("Demo mode: no car maker is configured, serving simulated cars. Open {Url}/swagger", url.TrimEnd('/'));
    }
}
