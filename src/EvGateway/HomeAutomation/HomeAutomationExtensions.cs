using Microsoft.Extensions.Options;

namespace EvGateway.HomeAutomation;

/// <summary>Registers live data: the event stream and, when Mqtt:Host is set, the MQTT publisher with Home Assistant discovery.</summary>
public static class HomeAutomationExtensions
{
    public static IServiceCollection AddHomeAutomation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<StatusDocuments>();
        services.AddSingleton<LiveEvents>();
        services.AddOptions<MqttOptions>()
            .Bind(configuration.GetSection(MqttOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MqttOptions>, MqttOptionsValidation>();
        services.AddSingleton<MqttPublisher>();
        services.AddHostedService(provider => provider.GetRequiredService<MqttPublisher>());
        return services;
    }

    public static IEndpointRouteBuilder MapHomeAutomation(this IEndpointRouteBuilder app) => app.MapLiveEvents();

    private sealed class MqttOptionsValidation : IValidateOptions<MqttOptions>
    {
        public ValidateOptionsResult Validate(string? name, MqttOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
