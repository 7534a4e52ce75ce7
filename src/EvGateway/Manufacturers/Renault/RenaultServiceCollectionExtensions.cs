using System.Net;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;
using EvGateway.Vehicles.Budget;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Refit;

namespace EvGateway.Manufacturers.Renault;

public static class RenaultServiceCollectionExtensions
{
    private const int MaxRetries = 2;

    // 501 is Kamereon's "this car cannot do that": asking again cannot change the answer.
    private static readonly HashSet<HttpStatusCode> TransientStatuses =
    [
        HttpStatusCode.RequestTimeout, HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway,
        HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout,
    ];

    /// <summary>
    /// Registers the Renault adapter as one more <see cref="IVehicleProvider"/>. It serves cars once Renault:Username
    /// is set (the owner has a Renault); then a wrong Renault:* setting fails at start with a line naming the key.
    /// </summary>
    public static IServiceCollection AddRenault(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new MakerSetup(RenaultProvider.MakerName, IsConfigured, AddRenault));
        services.AddOptions<RenaultOptions>().Bind(configuration.GetSection(RenaultOptions.SectionName)).ValidateOnStart();
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.SectionName));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RenaultOptions>, RenaultOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();

        // Buffered: the makers' API gateways answer 411 to a body streamed without a Content-Length.
        var refit = new RefitSettings(new SystemTextJsonContentSerializer(RenaultJson.Options)) { Buffered = true };
        services.AddRefitGeneratedClient<IGigyaApi>(refit)
            .ConfigureHttpClient((sp, client) => Configure(client, sp.GetRequiredService<IOptions<RenaultOptions>>().Value.GigyaUrl))
            // The flow sends the device cookies itself; a pooled handler's own cookie jar would add stale ones.
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { UseCookies = false })
            .AddStandardResilienceHandler()
            .Configure((resilience, sp) => Tune(resilience, sp.GetRequiredService<IOptions<RenaultOptions>>().Value));

        // Only Kamereon calls count against the account's hourly quota; Gigya (login, JWT) is a separate service.
        services.AddSingleton(sp => new CallBudgetLimit(RenaultProvider.MakerName,
            () => sp.GetRequiredService<IOptionsMonitor<RenaultOptions>>().CurrentValue.CallBudgetPerHour));
        services.AddTransient<KamereonAuthHandler>();
        var kamereonClient = services.AddRefitGeneratedClient<IKamereonApi>(refit)
            .ConfigureHttpClient((sp, client) => Configure(client, sp.GetRequiredService<IOptions<RenaultOptions>>().Value.KamereonUrl))
            .AddHttpMessageHandler<KamereonAuthHandler>();
        kamereonClient.AddStandardResilienceHandler()
            .Configure((resilience, sp) => Tune(resilience, sp.GetRequiredService<IOptions<RenaultOptions>>().Value));
        // Innermost, below the retries and the token replay: every attempt that leaves is one the cloud counts.
        kamereonClient.AddHttpMessageHandler(sp => new CallBudgetHandler(sp.GetRequiredService<CallBudgets>(), RenaultProvider.MakerName));

        services.AddSingleton<RenaultSessionStore>();
        services.AddSingleton(sp => new RenaultLoginFlow(sp.GetRequiredService<IGigyaApi>(), sp.GetRequiredService<RenaultSessionStore>(),
            sp.GetRequiredService<IOptionsMonitor<RenaultOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RenaultLoginFlow>>()));
        services.AddSingleton<RenaultTokenProvider>();
        services.TryAddSingleton<MissingEndpoints>();
        services.AddSingleton<KamereonCalls>();
        services.AddSingleton<EvSettingsClient>();
        services.AddSingleton<RenaultProvider>();
        services.AddSingleton<RenaultAccount>();
        services.AddSingleton<IMakerAccount>(provider => provider.GetRequiredService<RenaultAccount>());
        services.AddSingleton(new MakerAccountRoutes(RenaultProvider.MakerName, RenaultAccount.MapRoutes));
        services.AddSingleton<IVehicleProvider>(provider => provider.GetRequiredService<RenaultProvider>());
        services.AddSingleton<IChargeScheduling, RenaultChargeScheduling>();
        services.AddSingleton<IDailyChargeScheduling, RenaultEvSettingsScheduling>();
        services.AddSingleton<IChargeLimit, RenaultChargeLimit>();
        services.AddSingleton<IChargeHistorySource, RenaultChargeHistory>();
        services.AddValidator<RenaultLoginRequest, RenaultLoginRequestValidator>();
        services.AddValidator<RenaultVerifyRequest, RenaultVerifyRequestValidator>();
        return services;
    }

    private static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{RenaultOptions.SectionName}:{nameof(RenaultOptions.Username)}"]);

    private static void Configure(HttpClient client, string baseUrl)
    {
        client.BaseAddress = new Uri(baseUrl);
        // The resilience handler owns every timeout.
        client.Timeout = Timeout.InfiniteTimeSpan;
    }

    // Retries only reads: a replayed POST could honk twice or flip a charge back. 429 is never retried, since each
    // refused call still spends the hourly quota; KamereonCalls starts a cool-down instead.
    private static void Tune(HttpStandardResilienceOptions resilience, RenaultOptions settings)
    {
        resilience.AttemptTimeout.Timeout = settings.RequestTimeout;
        resilience.Retry.MaxRetryAttempts = MaxRetries;
        resilience.Retry.Delay = TimeSpan.FromMilliseconds(settings.RetryDelayMilliseconds);
        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
        {
            { Exception: HttpRequestException or TimeoutRejectedException } => true,
            { Result: { } response } => TransientStatuses.Contains(response.StatusCode),
            _ => false,
        });
        resilience.Retry.DisableForUnsafeHttpMethods();
        resilience.TotalRequestTimeout.Timeout = settings.RequestTimeout * (MaxRetries + 1)
            + TimeSpan.FromMilliseconds(settings.RetryDelayMilliseconds * 4) + TimeSpan.FromSeconds(5);
        var minimumSampling = settings.RequestTimeout * 2;
        if (resilience.CircuitBreaker.SamplingDuration < minimumSampling)
        {
            resilience.CircuitBreaker.SamplingDuration = minimumSampling;
        }
    }
}
