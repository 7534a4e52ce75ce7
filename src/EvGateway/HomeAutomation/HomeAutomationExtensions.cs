using EvGateway.HomeAutomation.Abrp;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.HomeAutomation;

/// <summary>Registers live data: the event stream, ABRP live telemetry and, when Mqtt:Host is set, the MQTT publisher with Home Assistant discovery.</summary>
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

        services.AddOptions<AbrpOptions>().Bind(configuration.GetSection(AbrpOptions.SectionName));
        services.AddSingleton<AbrpSettings>();
        services.AddHttpClient(AbrpForwarder.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<AbrpForwarder>();
        services.AddHostedService(provider => provider.GetRequiredService<AbrpForwarder>());
        services.AddValidator<AbrpRequest, AbrpRequestValidator>();
        return services;
    }

    public static IEndpointRouteBuilder MapHomeAutomation(this IEndpointRouteBuilder app) => app.MapLiveEvents().MapAbrp();

    private sealed class MqttOptionsValidation : IValidateOptions<MqttOptions>
    {
        public ValidateOptionsResult Validate(string? name, MqttOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
