namespace EvGateway.Tests.Manufacturers.Psa;

/// <summary>The recorded PSA shapes (shared/reference/psa), kept beside the tests that parse them.</summary>
internal static class PsaReferencePayloads
{
    public const string StatusElectricCharging = """
        {
          "lastPosition": {"type": "Feature", "geometry": {"type": "Point", "coordinates": [9.65457, 49.96119, 21]},
                           "properties": {"updatedAt": "2021-03-29T05:16:10Z", "heading": 126, "type": "Estimated"}},
          "preconditionning": {"airConditioning": {"updatedAt": "2021-04-01T16:17:01Z", "status": "Disabled",
              "programs": [{"enabled": false, "slot": 1, "recurrence": "Daily", "start": "PT21H40M", "occurence": {"day": ["Sat"]}}]}},
          "energy": [
            {"updatedAt": "2021-04-01T16:17:01Z", "type": "Electric", "level": 70, "autonomy": 192,
             "charging": {"plugged": true, "status": "InProgress", "remainingTime": "PT1H25M", "chargingRate": 20,
                          "chargingMode": "Slow", "nextDelayedTime": "PT21H30M"}}
          ],
          "createdAt": "2021-04-01T16:17:01Z",
          "battery": {"voltage": 99, "current": 0, "createdAt": "2021-04-01T16:17:01Z"},
          "kinetic": {"createdAt": "2021-03-29T05:16:10Z", "moving": false},
          "privacy": {"createdAt": "2021-04-01T16:17:01Z", "state": "None"},
          "service": {"type": "Electric", "updatedAt": "2021-02-23T21:10:29Z"},
          "doorsState": {"lockedState": ["Locked"], "opening": [{"identifier": "Driver", "state": "Closed"}]},
          "_links": {"self": {"href": "https://api.groupe-psa.com/connectedcar/v4/user/vehicles/myid/status"},
                     "vehicles": {"href": "https://api.groupe-psa.com/connectedcar/v4/user/vehicles/myid"}},
          "odometer": {"createdAt": null, "mileage": 1107.1},
          "updatedAt": "2021-04-01T16:17:01Z"
        }
        """;

    public const string StatusHybrid = """
        {
          "lastPosition": {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-1.59008, 47.274, 30]},
                           "properties": {"updatedAt": "2021-03-29T06:22:51Z", "type": "Acquire", "signalQuality": 9}},
          "preconditionning": {"airConditioning": {"updatedAt": "2022-03-26T10:52:11Z", "status": "Disabled"}},
          "energy": [
            {"updatedAt": "2021-09-14T20:39:06Z", "type": "Fuel", "level": 0},
            {"updatedAt": "2022-03-26T11:02:54Z", "type": "Electric", "level": 59, "autonomy": 122,
             "charging": {"plugged": false, "status": "Disconnected", "remainingTime": "PT0S", "chargingRate": 0,
                          "chargingMode": "No", "nextDelayedTime": "PT22H31M"},
             "battery": {"health": {"resistance": 90}}}
          ],
          "createdAt": "2022-03-26T11:02:54Z",
          "battery": {"voltage": 83.5, "current": 0, "createdAt": "2022-03-26T10:52:11Z"},
          "kinetic": {"createdAt": "2021-03-29T06:22:51Z", "moving": true},
          "privacy": {"createdAt": "2022-03-26T11:02:53Z", "state": "None"},
          "service": {"type": "Electric", "createdAt": "2022-03-26T11:02:54Z"},
          "_links": {"self": {"href": "https://api.groupe-psa.com/connectedcar/v4/user/vehicles/aa/status"},
                     "vehicles": {"href": "https://api.groupe-psa.com/connectedcar/v4/user/vehicles/aa"}},
          "odometer": {"createdAt": null, "mileage": 3196.5},
          "updatedAt": "2022-03-26T11:02:54Z"
        }
        """;

    public const string UserVehicles = """
        {
          "total": 1,
          "_links": {
            "self": {"href": "https://api.groupe-psa.com/connectedcar/v4/user/vehicles"}
          },
          "_embedded": {
            "vehicles": [
              {
                "id": "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6",
                "vin": "VR3UHZKXZLT123456",
                "brand": "Peugeot",
                "label": "e-208",
                "pictures": ["https://visuel3d-secure.peugeot.com/V3DImage.ashx?client=MyMarque&version=e208"],
                "_links": {
                  "self": {"href": "https://api.groupe-psa.com/connectedcar/v4/user/vehicles/A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"},
                  "status": {"href": "https://api.groupe-psa.com/connectedcar/v4/user/vehicles/A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6/status"}
                }
              }
            ]
          }
        }
        """;

    public const string MqttEventCharge = """
        {
          "vin": "VR3UHZKXZLT123456",
          "date": "2022-03-26T11:05:12Z",
          "charging_state": {"type": "Immediate", "remaining_time": 85, "rate": 20, "next_delayed_time": "PT22H30M", "status": "InProgress", "plugged": true},
          "energy_level": {"level": 71, "autonomy": 195}
        }
        """;

    public const string MqttAck = """
        {
          "correlation_id": "7c1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a20220326110254123",
          "process_code": "901",
          "return_code": "0",
          "reason": "OK",
          "vin": "VR3UHZKXZLT123456",
          "date": "2022-03-26T11:02:55Z"
        }
        """;
}
