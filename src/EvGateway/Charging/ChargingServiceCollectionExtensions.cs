using EvGateway.Charging.Control;
using EvGateway.Charging.Schedules;
using EvGateway.Charging.Smart;
using EvGateway.Charging.Tariff;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EvGateway.Charging;

public static class ChargingServiceCollectionExtensions
{
    /// <summary>Charge control, its settings store and the smart-charge planner (`Charging:*`, `Tariff:*`).</summary>
    public static IServiceCollection AddCharging(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.SectionName));
        services.AddOptions<ChargingOptions>()
            .Bind(configuration.GetSection(ChargingOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(KnowsTimeZone, $"{ChargingOptions.SectionName}:TimeZone is not a time zone this machine knows (use an IANA id such as Europe/Paris).")
            .ValidateOnStart();

        services.AddSingleton<ChargeControlStore>();
        services.AddSingleton<ChargeControlService>();
        services.AddSingleton<IChargeControlSummaries>(provider => provider.GetRequiredService<ChargeControlService>());
        services.AddSingleton<IChargeThresholds>(provider => provider.GetRequiredService<ChargeControlService>());
        services.AddSingleton<IChargeControlImport, ChargeControlImport>();
        services.AddSingleton<ChargeController>();
        services.AddHostedService(provider => provider.GetRequiredService<ChargeController>());

        services.AddOptions<TariffOptions>()
            .Bind(configuration.GetSection(TariffOptions.SectionName))
            .Validate(t => t.RefreshMinutes > 0, $"{TariffOptions.SectionName}:RefreshMinutes must be positive.")
            .ValidateOnStart();
        services.AddHttpClient(nameof(TariffClient), client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<TariffClient>();
        services.AddSingleton<SmartChargeService>();
        services.AddSingleton<SmartChargeGoals>();
        services.AddSingleton<SmartChargeReplanner>();
        services.AddHostedService(provider => provider.GetRequiredService<SmartChargeReplanner>());
        services.AddSingleton<IDailyChargeScheduling, DelayedStartScheduling>();
        services.AddSingleton<ChargeScheduleService>();
        services.AddValidator<ChargeControlRequest, ChargeControlRequestValidator>();
        services.AddValidator<ChargeScheduleRequest, ChargeScheduleRequestValidator>();
        services.AddValidator<SmartChargeRequest, SmartChargeRequestValidator>();
        services.AddValidator<SmartChargePlanQuery, SmartChargePlanQueryValidator>();
        return services;
    }

    private static bool KnowsTimeZone(ChargingOptions options)
    {
        try
        {
            options.ResolveTimeZone();
            return true;
        }
        catch (Exception failure) when (failure is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }
}
