using EvGateway.Simulator;
using EvGateway.Simulator.Psa;
using EvGateway.Simulator.Renault;
using EvGateway.Vehicles;

namespace EvGateway.Hosting;

/// <summary>
/// With no maker configured (or Gateway:Demo=true), the gateway starts the simulated clouds in-process and points
/// the real adapters at them, so a new user sees cars at once and every route works.
/// </summary>
public static class DemoMode
{
    public static WebApplicationBuilder AddDemoMode(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var configured = !string.IsNullOrWhiteSpace(configuration["Renault:Username"]) || !string.IsNullOrWhiteSpace(configuration["Psa:RefreshToken"]);
        if (!(configuration.GetValue<bool?>("Gateway:Demo") ?? !configured))
        {
            return builder;
        }

        // Started during composition because the adapters' base URLs must be known before they are configured.
        var simulator = CloudSimulator.StartAsync(new SimulatorOptions()).GetAwaiter().GetResult();
        builder.Services.AddSingleton(simulator);
        var settings = SimulatorSettings(simulator);
        // A new simulator only knows its initial tokens: the demo keeps its own data folder and forgets the tokens a
        // previous demo run rotated, so a second start works as well as the first.
        var demoData = Path.Combine(configuration["Gateway:DataDirectory"] ?? new GatewayOptions().DataDirectory, "demo");
        var rotatedTokens = Path.Combine(demoData, "psa-tokens.json");
        if (File.Exists(rotatedTokens))
        {
            File.Delete(rotatedTokens);
        }

        settings["Gateway:DataDirectory"] = demoData;
        configuration.AddInMemoryCollection(settings);
        builder.Services.AddHostedService<DemoAnnouncement>();
        return builder;
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
        ["Psa:ApiUrl"] = simulator.Psa.ApiUrl.ToString(),
        ["Psa:RemoteTokenUrl"] = simulator.Psa.RemoteTokenUrl.ToString(),
        ["Psa:Mqtt:Host"] = PsaCloud.MqttHost,
        ["Psa:Mqtt:Port"] = simulator.Psa.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Psa:Mqtt:UseTls"] = "false",
        ["Tariff:Url"] = simulator.TariffUrl.ToString(),
    };

    private sealed class DemoAnnouncement(IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<DemoAnnouncement> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(() =>
            {
                var addresses = services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                    .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
                var url = (addresses?.FirstOrDefault() ?? "http://localhost:5000").Replace("0.0.0.0", "localhost").Replace("[::]", "localhost");
                logger.LogInformation("Demo mode: no car maker is configured, serving simulated cars. Open {Url}/swagger", url.TrimEnd('/'));
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
