using EvGateway.Manufacturers.Psa.Accounts;
using EvGateway.Manufacturers.Psa.Mqtt;
using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;
using EvGateway.Vehicles.Budget;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace EvGateway.Manufacturers.Psa;

public static class PsaServiceCollectionExtensions
{
    /// <summary>
    /// Registers the PSA adapter, its account routes (/api/accounts/psa/...) and the <c>import-psacc</c> command. It
    /// serves cars once an account is named: `Psa:RefreshToken`, or a browser login or psa_car_controller import the
    /// data directory holds; it sends remote commands (MQTT) once paired (SMS + PIN, an imported otp.bin) or given
    /// `Psa:RemoteRefreshToken`.
    /// </summary>
    public static IServiceCollection AddPsa(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new MakerSetup(PsaProvider.MakerName, IsConfigured, AddPsa));
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.SectionName));
        services.AddOptions<PsaOptions>().Bind(configuration.GetSection(PsaOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PsaOptions>, PsaOptionsValidator>());

        services.AddSingleton<PsaTokenStore>();
        services.AddSingleton<PsaAccount>();
        services.AddSingleton<PsaRefreshGuard>();
        services.AddSingleton<PsaTokenProvider>();
        services.AddTransient<PsaAuthHandler>();

        services.AddHttpClient(PsaOAuthClient.HttpClientName).AddStandardResilienceHandler(TuneForTokens);
        services.AddSingleton<PsaOAuthClient>();
        // Buffered: the makers' API gateways answer 411 to a body streamed without a Content-Length.
        var refit = new RefitSettings(new SystemTextJsonContentSerializer(PsaJson.Options)) { Buffered = true };
        // The connected-car API (car list and status) is what polling spends; token and pairing calls are rare.
        services.AddSingleton(provider => new CallBudgetLimit(PsaProvider.MakerName,
            () => provider.GetRequiredService<IOptionsMonitor<PsaOptions>>().CurrentValue.CallBudgetPerHour));
        var connectedCar = services.AddRefitGeneratedClient<IPsaConnectedCarApi>(refit)
            .ConfigureHttpClient((provider, http) =>
                http.BaseAddress = new Uri(provider.GetRequiredService<IOptions<PsaOptions>>().Value.ApiUrl.TrimEnd('/')))
            .AddHttpMessageHandler<PsaAuthHandler>();
        connectedCar.AddStandardResilienceHandler(TuneForPsa);
        // Innermost, below the retries and the token replay: every attempt that leaves is one the cloud counts.
        connectedCar.AddHttpMessageHandler(provider => new CallBudgetHandler(provider.GetRequiredService<CallBudgets>(), PsaProvider.MakerName));
        services.AddRefitGeneratedClient<IPsaCarAssociationsApi>(refit)
            .ConfigureHttpClient((provider, http) =>
                http.BaseAddress = new Uri(provider.GetRequiredService<IOptions<PsaOptions>>().Value.CarAssociationsUrl))
            .AddHttpMessageHandler<PsaAuthHandler>()
            .AddStandardResilienceHandler(TuneForPsa);

        services.AddHttpClient(PsaRemoteTokenProvider.HttpClientName)
            .AddHttpMessageHandler<PsaAuthHandler>()
            .AddStandardResilienceHandler(TuneForTokens);
        // No resilience handler on these two: every retry would spend an activation, a one-time password or a text message.
        services.AddHttpClient(InWeboClient.HttpClientName);
        services.AddHttpClient(PsaSmsCodeClient.HttpClientName).AddHttpMessageHandler<PsaAuthHandler>();
        services.AddSingleton(provider => new OtpStateStore(
            Path.Combine(provider.GetRequiredService<IOptions<GatewayOptions>>().Value.DataDirectory, OtpStateStore.FileName),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<OtpStateStore>>()));
        services.AddSingleton(provider => new InWeboClient(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(InWeboClient.HttpClientName),
            new Uri(provider.GetRequiredService<IOptions<PsaOptions>>().Value.OtpUrl),
            provider.GetRequiredService<OtpStateStore>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<InWeboClient>>()));
        services.AddSingleton<PsaRemoteTokenProvider>();
        services.AddSingleton<PsaMqttConnection>();
        services.AddSingleton<PsaWakeUpLimiter>();
        services.AddSingleton<PsaWakeUpPolicy>();
        services.AddSingleton<PsaRemoteCommands>();

        services.AddSingleton<PsaProvider>();
        services.AddSingleton<IVehicleProvider>(provider => provider.GetRequiredService<PsaProvider>());
        services.AddSingleton<IDelayedChargeStart, PsaDelayedChargeStart>();
        services.AddSingleton<PsaCustomerIdReader>();
        services.AddSingleton<PsaBrowserLogin>();
        services.AddHostedService<PsaSessionService>();
        services.AddHostedService<PsaRemoteKeepAlive>();

        services.AddSingleton<PsaAccountChanges>();
        services.AddSingleton<PsaRemotePairing>();
        services.AddSingleton<PsaccImport>();
        services.AddSingleton<PsaMakerAccount>();
        services.AddSingleton<IMakerAccount>(provider => provider.GetRequiredService<PsaMakerAccount>());
        services.AddSingleton(new MakerAccountRoutes(PsaProvider.MakerName, PsaAccountsApi.Map));
        services.AddValidator<PsaLoginRequest, PsaLoginRequestValidator>();
        services.AddValidator<PsaAuthorizeRequest, PsaAuthorizeRequestValidator>();
        services.AddValidator<PsaPairingRequest, PsaPairingRequestValidator>();
        services.AddValidator<PsaImportRequest, PsaImportRequestValidator>();
        services.AddSingleton<IGatewayCommand, PsaImportCommand>();
        return services;
    }

    private static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{PsaOptions.SectionName}:{nameof(PsaOptions.RefreshToken)}"])
        || PsaTokenStore.HoldsRefreshToken(
            configuration[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.DataDirectory)}"] ?? new GatewayOptions().DataDirectory);

    /// <summary>How long a token call may take before it is given up.</summary>
    internal static readonly TimeSpan TokenAttemptTimeout = TimeSpan.FromSeconds(60);

    // A token call rotates the refresh token on the server: an answer given up on (the standard 10 s attempt timeout)
    // may carry the only valid refresh token, and losing it means logging in again by hand (an SMS code for remote
    // access). So these calls wait for a slow identity server much longer than the data calls do.
    private static void TuneForTokens(HttpStandardResilienceOptions resilience)
    {
        TuneForPsa(resilience);
        resilience.AttemptTimeout.Timeout = TokenAttemptTimeout;
        resilience.TotalRequestTimeout.Timeout = TokenAttemptTimeout + TimeSpan.FromSeconds(30);
        resilience.CircuitBreaker.SamplingDuration = TokenAttemptTimeout * 2;
    }

    // GETs are retried on transport errors and 5xx; POSTs (token rotation, commands) never are, since a replay could
    // burn a refresh token twice. A 429 is never retried: more calls only extend the cloud's penalty.
    private static void TuneForPsa(HttpStandardResilienceOptions resilience)
    {
        resilience.Retry.MaxRetryAttempts = 2;
        resilience.Retry.Delay = TimeSpan.FromSeconds(1);
        resilience.Retry.ShouldHandle = args =>
        {
            var request = args.Context.GetRequestMessage();
            if (request?.Method != HttpMethod.Get)
            {
                return ValueTask.FromResult(false);
            }

            var retry = args.Outcome.Result is { } response
                ? (int)response.StatusCode >= 500 || response.StatusCode == System.Net.HttpStatusCode.RequestTimeout
                : args.Outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException;
            return ValueTask.FromResult(retry);
        };
    }
}
