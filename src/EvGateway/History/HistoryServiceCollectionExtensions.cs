using EvGateway.Vehicles;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EvGateway.History;

public static class HistoryServiceCollectionExtensions
{
    /// <summary>The history file, its one writer fed by every new status, the daily read of the cars' own charge lists, and the pricing of charging sessions (`History:*`).</summary>
    public static IServiceCollection AddHistory(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.SectionName));
        services.AddOptions<HistoryOptions>()
            .Bind(configuration.GetSection(HistoryOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HistoryOptions>, HistoryOptionsValidation>());
        services.AddSingleton<HistoryDatabase>();
        services.AddSingleton<HistoryWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<HistoryWriter>());
        services.AddSingleton(provider => new ChargePricing(provider.GetRequiredService<IOptions<HistoryOptions>>().Value));
        services.AddSingleton<ChargeHistory>();
        services.AddSingleton<IHistoryImport, HistoryImport>();
        services.AddSingleton<TariffRecorder>();
        services.AddHostedService(provider => provider.GetRequiredService<TariffRecorder>());
        services.AddSingleton<CarChargeReader>();
        services.AddHostedService(provider => provider.GetRequiredService<CarChargeReader>());
        return services;
    }

    /// <summary>Checks what data annotations cannot: the night hours go with the night price, the zone exists.</summary>
    private sealed class HistoryOptionsValidation : IValidateOptions<HistoryOptions>
    {
        public ValidateOptionsResult Validate(string? name, HistoryOptions options)
        {
            if ((options.NightHoursProblem() ?? options.HomeProblem()) is { } problem)
            {
                return ValidateOptionsResult.Fail(problem);
            }

            try
            {
                options.ResolveTimeZone();
                return ValidateOptionsResult.Success;
            }
            catch (Exception failure) when (failure is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                return ValidateOptionsResult.Fail("History:TimeZone is not a time zone this machine knows (use an IANA id such as Europe/Paris).");
            }
        }
    }
}
