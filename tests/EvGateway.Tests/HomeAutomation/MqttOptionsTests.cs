using EvGateway.HomeAutomation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EvGateway.Tests.HomeAutomation;

public class MqttOptionsTests
{
    [Theory]
    [InlineData("Mqtt:Port", "0", "Mqtt:Port")]
    [InlineData("Mqtt:Port", "70000", "Mqtt:Port")]
    [InlineData("Mqtt:TopicPrefix", "home/#", "Mqtt:TopicPrefix")]
    [InlineData("Mqtt:TopicPrefix", "evgateway/", "Mqtt:TopicPrefix")]
    [InlineData("Mqtt:DiscoveryPrefix", "", "Mqtt:DiscoveryPrefix")]
    public void A_wrong_setting_fails_validation_with_a_line_naming_the_key(string key, string value, string namedKey)
    {
        using var services = Build(new() { ["Mqtt:Host"] = "broker.local", ["Mqtt:Password"] = "secret", [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        var failures = error.Failures.Distinct().ToList();
        Assert.Contains(namedKey, Assert.Single(failures), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_host_mqtt_is_off_and_the_defaults_are_the_documented_ones()
    {
        using var services = Build([]);

        services.GetRequiredService<IStartupValidator>().Validate();
        var mqtt = services.GetRequiredService<IOptions<MqttOptions>>().Value;
        Assert.False(mqtt.Enabled);
        Assert.Equal(1883, mqtt.Port);
        Assert.Equal("evgateway/status", mqtt.StatusTopic);
        Assert.Equal("homeassistant", mqtt.DiscoveryPrefix);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddHomeAutomation(configuration).BuildServiceProvider();
    }
}
