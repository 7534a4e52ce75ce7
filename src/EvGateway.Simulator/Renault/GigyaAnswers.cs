using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace EvGateway.Simulator.Renault;

/// <summary>The envelope every Gigya answer shares: callId, errorCode, statusCode and the server time.</summary>
internal sealed class GigyaAnswers(TimeProvider time)
{
    public JsonObject Success() => new()
    {
        ["callId"] = Guid.NewGuid().ToString("N"),
        ["errorCode"] = 0,
        ["apiVersion"] = 2,
        ["statusCode"] = 200,
        ["statusReason"] = "OK",
        ["time"] = Timestamp(),
    };

    public JsonObject Error(int code, string details, string message, int statusCode, string statusReason) => new()
    {
        ["callId"] = Guid.NewGuid().ToString("N"),
        ["errorCode"] = code,
        ["errorDetails"] = details,
        ["errorMessage"] = message,
        ["apiVersion"] = 2,
        ["statusCode"] = statusCode,
        ["statusReason"] = statusReason,
        ["time"] = Timestamp(),
    };

    public JsonObject MissingParameter() => Error(400002, "Missing required parameter", "Missing required parameter", 400, "Bad Request");

    public JsonObject InvalidParameter(string details) => Error(400006, details, "Invalid parameter value", 400, "Bad Request");

    public string Timestamp() => time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>An unguessable token in the URL-safe alphabet Gigya's own tokens use.</summary>
    public static string NewToken(string prefix, int bytes = 48) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
