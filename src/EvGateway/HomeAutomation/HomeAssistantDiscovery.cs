using System.Text.Json.Nodes;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;

namespace EvGateway.HomeAutomation;

/// <summary>
/// Home Assistant MQTT discovery: one device per car (identified by its VIN, attached to the gateway's own device),
/// and one entity per value or control the car's capabilities allow. Every entity's availability is the gateway's
/// retained <c>&lt;prefix&gt;/status</c>, so the cars turn unavailable when the gateway's last will fires.
/// </summary>
public static class HomeAssistantDiscovery
{
    /// <summary>The payload a button sends.</summary>
    public const string Press = "PRESS";

    /// <summary>A discovery config: its retained topic and its JSON payload.</summary>
    public sealed record Config(string Topic, JsonObject Payload);

    /// <summary>The gateway's own device: a connectivity sensor of its status topic, which the cars name as via_device.</summary>
    public static Config Gateway(MqttOptions mqtt) => new($"{mqtt.DiscoveryPrefix}/binary_sensor/{mqtt.TopicPrefix}/status/config", new JsonObject
    {
        ["name"] = "Connection",
        ["unique_id"] = $"{mqtt.TopicPrefix}_status",
        ["device_class"] = "connectivity",
        ["entity_category"] = "diagnostic",
        ["state_topic"] = mqtt.StatusTopic,
        ["payload_on"] = MqttPublisher.Online,
        ["payload_off"] = MqttPublisher.Offline,
        ["device"] = new JsonObject
        {
            ["identifiers"] = new JsonArray(mqtt.TopicPrefix),
            ["name"] = "EvGateway",
            ["manufacturer"] = "EvGateway",
            ["model"] = "Car gateway",
        },
    });

    /// <summary>Every entity of one car that its capabilities allow.</summary>
    /// <param name="car">The car.</param>
    /// <param name="mqtt">The topic prefixes.</param>
    /// <param name="chargeLimit">The charge limits the gateway can hold for this car; null when it can hold none.</param>
    public static IReadOnlyList<Config> For(Vehicle car, MqttOptions mqtt, ChargeLimitSteps? chargeLimit)
    {
        var configs = new List<Config>();
        void Add(string component, string objectId, string name, JsonObject entity)
        {
            entity["name"] = name;
            entity["unique_id"] = $"{car.Vin}_{objectId}";
            entity["availability_topic"] = mqtt.StatusTopic;
            entity["payload_available"] = MqttPublisher.Online;
            entity["payload_not_available"] = MqttPublisher.Offline;
            entity["device"] = new JsonObject
            {
                ["identifiers"] = new JsonArray(car.Vin),
                ["name"] = $"{car.Brand} {car.Model}",
                ["manufacturer"] = car.Brand,
                ["model"] = car.Model,
                ["serial_number"] = car.Vin,
                ["via_device"] = mqtt.TopicPrefix,
            };
            configs.Add(new Config($"{mqtt.DiscoveryPrefix}/{component}/{car.Vin}/{objectId}/config", entity));
        }

        JsonObject Sensor(string field, string? deviceClass, string stateClass, string unit) => new()
        {
            ["state_topic"] = mqtt.CarTopic(car.Vin, field),
            ["device_class"] = deviceClass,
            ["state_class"] = stateClass,
            ["unit_of_measurement"] = unit,
        };

        // Unknown and error states are neither on nor off: "None" makes Home Assistant show them as unknown.
        JsonObject Binary(string field, string deviceClass, string on, string off) => new()
        {
            ["state_topic"] = mqtt.CarTopic(car.Vin, field),
            ["device_class"] = deviceClass,
            ["value_template"] = $"{{% if value == '{on}' %}}ON{{% elif value in [{off}] %}}OFF{{% else %}}None{{% endif %}}",
        };

        JsonObject Command(string command) => new() { ["command_topic"] = mqtt.CarTopic(car.Vin, $"set/{command}") };

        if (car.IsElectric)
        {
            Add("sensor", MqttFields.BatteryLevel, "Battery", Sensor(MqttFields.BatteryLevel, "battery", "measurement", "%"));
            Add("sensor", MqttFields.RangeKm, "Range", Sensor(MqttFields.RangeKm, "distance", "measurement", "km"));
            Add("sensor", MqttFields.ChargePowerKw, "Charge power", Sensor(MqttFields.ChargePowerKw, "power", "measurement", "kW"));
            Add("sensor", MqttFields.ChargeRemainingMinutes, "Charge time remaining",
                Sensor(MqttFields.ChargeRemainingMinutes, "duration", "measurement", "min"));
            Add("binary_sensor", "plugged", "Plugged in", Binary(MqttFields.PlugState, "plug", "plugged", "'unplugged'"));
            Add("binary_sensor", "charging", "Charging",
                Binary(MqttFields.ChargeState, "battery_charging", "charging", "'notCharging', 'waiting', 'ended'"));
        }

        if (car.Has(VehicleCapability.Odometer))
        {
            Add("sensor", MqttFields.OdometerKm, "Odometer", Sensor(MqttFields.OdometerKm, "distance", "total_increasing", "km"));
        }

        Add("sensor", MqttFields.UpdatedAt, "Last update", new JsonObject
        {
            ["state_topic"] = mqtt.CarTopic(car.Vin, MqttFields.UpdatedAt),
            ["device_class"] = "timestamp",
            ["entity_category"] = "diagnostic",
        });

        if (car.Has(VehicleCapability.Location))
        {
            Add("device_tracker", "location", "Location", new JsonObject
            {
                ["json_attributes_topic"] = mqtt.CarTopic(car.Vin, MqttFields.Location),
                ["source_type"] = "gps",
            });
        }

        if (car.Has(VehicleCapability.ChargeStart) && car.Has(VehicleCapability.ChargeStop))
        {
            var charge = Command(MqttCommands.Charge);
            charge["state_topic"] = mqtt.CarTopic(car.Vin, MqttFields.ChargeState);
            charge["value_template"] = "{{ 'ON' if value == 'charging' else 'OFF' }}";
            charge["payload_on"] = MqttCommands.On;
            charge["payload_off"] = MqttCommands.Off;
            charge["icon"] = "mdi:ev-station";
            Add("switch", MqttCommands.Charge, "Charging", charge);
        }

        if (car.Has(VehicleCapability.ClimateControl))
        {
            var climate = Command(MqttCommands.Climate);
            climate["state_topic"] = mqtt.CarTopic(car.Vin, MqttFields.ClimateActive);
            climate["state_on"] = "true";
            climate["state_off"] = "false";
            climate["payload_on"] = MqttCommands.On;
            climate["payload_off"] = MqttCommands.Off;
            climate["icon"] = "mdi:fan";
            Add("switch", MqttCommands.Climate, "Climate", climate);
        }

        if (chargeLimit is not null)
        {
            var limit = Command(MqttCommands.ChargeLimit);
            limit["state_topic"] = mqtt.CarTopic(car.Vin, MqttFields.ChargeLimit);
            limit["min"] = chargeLimit.Min;
            limit["max"] = 100;
            limit["step"] = chargeLimit.Step;
            limit["mode"] = "slider";
            limit["unit_of_measurement"] = "%";
            limit["icon"] = "mdi:battery-charging-high";
            Add("number", MqttCommands.ChargeLimit, "Charge limit", limit);
        }

        void Button(string command, string name, string icon)
        {
            var button = Command(command);
            button["payload_press"] = Press;
            button["icon"] = icon;
            Add("button", command, name, button);
        }

        if (car.Has(VehicleCapability.WakeUp))
        {
            Button(MqttCommands.WakeUp, "Wake up", "mdi:sleep-off");
        }

        if (car.Has(VehicleCapability.HornLights))
        {
            Button(MqttCommands.Horn, "Horn", "mdi:bullhorn");
            Button(MqttCommands.Lights, "Flash lights", "mdi:car-light-high");
        }

        return configs;
    }
}
