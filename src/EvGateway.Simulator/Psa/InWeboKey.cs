using System.Numerics;
using System.Security.Cryptography;

namespace EvGateway.Simulator.Psa;

/// <summary>
/// A 1024-bit RSA key with public exponent 17, as the inWebo server hands out: only the modulus reaches a client.
/// Generated here because the platform cannot choose the exponent.
/// </summary>
internal sealed class InWeboKey
{
    private const int PrimeBits = 512;
    private static readonly BigInteger Exponent = 17;
    private static readonly int[] SmallPrimes = [.. Enumerable.Range(3, 5000).Where(n => n % 2 != 0
        && Enumerable.Range(1, (int)Math.Sqrt(n) / 2).All(k => n % (2 * k + 1) != 0))];

    // Shared by every simulator in the process (see InWeboServer); the platform's RSA objects are not promised to be
    // safe for concurrent use.
    private readonly object gate = new();
    private readonly RSA privateKey;
    private readonly RSA swappedKey;

    private InWeboKey(BigInteger p, BigInteger q)
    {
        var modulus = p * q;
        var d = ModInverse(Exponent, (p - 1) * (q - 1));
        ModulusHex = Convert.ToHexStringLower(Bytes(modulus, 128));
        privateKey = RSA.Create();
        privateKey.ImportParameters(new RSAParameters
        {
            Modulus = Bytes(modulus, 128),
            Exponent = Bytes(Exponent, 1),
            D = Bytes(d, 128),
            P = Bytes(p, 64),
            Q = Bytes(q, 64),
            DP = Bytes(d % (p - 1), 64),
            DQ = Bytes(d % (q - 1), 64),
            InverseQ = Bytes(ModInverse(q, p), 64),
        });
        // Wrapping is OAEP encoding raised to the private exponent: with the exponents swapped, the platform's own
        // OAEP encryption computes exactly that.
        swappedKey = RSA.Create();
        swappedKey.ImportParameters(new RSAParameters { Modulus = Bytes(modulus, 128), Exponent = Bytes(d, 128) });
    }

    /// <summary>The modulus as the server sends it (lowercase hex, 128 bytes).</summary>
    public string ModulusHex { get; }

    public static InWeboKey Generate() => new(Prime(), Prime());

    /// <summary>
    /// What the server sends as Kiw or ms_key: <paramref name="payload"/> cut into pieces a 1024-bit OAEP block can
    /// carry (62 bytes), each encrypted with this key's private exponent.
    /// </summary>
    public string Wrap(byte[] payload)
    {
        lock (gate)
        {
            return string.Concat(payload.Chunk(62)
                .Select(piece => Convert.ToHexStringLower(swappedKey.Encrypt(piece, RSAEncryptionPadding.OaepSHA256))));
        }
    }

    /// <summary>Opens what a client encrypted to this key; null when it is not a valid ciphertext for it.</summary>
    public byte[]? Open(string cipherHex)
    {
        try
        {
            lock (gate)
            {
                return privateKey.Decrypt(Convert.FromHexString(cipherHex), RSAEncryptionPadding.OaepSHA256);
            }
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException)
        {
            return null;
        }
    }

    private static BigInteger Prime()
    {
        while (true)
        {
            var bytes = RandomNumberGenerator.GetBytes(PrimeBits / 8);
            // The two top bits make the product exactly 1024 bits long; the low bit makes the candidate odd.
            bytes[0] |= 0xC0;
            bytes[^1] |= 0x01;
            var candidate = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            if ((candidate - 1) % Exponent != 0 && IsProbablePrime(candidate))
            {
                return candidate;
            }
        }
    }

    private static bool IsProbablePrime(BigInteger n)
    {
        // Trial division is far cheaper than a modular exponentiation and rules out most candidates.
        foreach (var small in SmallPrimes)
        {
            if (n % small == 0)
            {
                return false;
            }
        }

        var (d, r) = (n - 1, 0);
        while (d.IsEven)
        {
            d >>= 1;
            r++;
        }

        // For random 512-bit candidates, 10 Miller-Rabin rounds leave far less than a 2^-80 chance of a composite.
        for (var round = 0; round < 10; round++)
        {
            var a = new BigInteger(RandomNumberGenerator.GetBytes(PrimeBits / 8 - 1), isUnsigned: true) + 2;
            var x = BigInteger.ModPow(a, d, n);
            if (x.IsOne || x == n - 1)
            {
                continue;
            }

            var witness = true;
            for (var i = 1; i < r && witness; i++)
            {
                x = BigInteger.ModPow(x, 2, n);
                witness = x != n - 1;
            }

            if (witness)
            {
                return false;
            }
        }

        return true;
    }

    private static BigInteger ModInverse(BigInteger value, BigInteger modulus)
    {
        var (oldR, r) = (value, modulus);
        var (oldS, s) = (BigInteger.One, BigInteger.Zero);
        while (!r.IsZero)
        {
            var quotient = BigInteger.Divide(oldR, r);
            (oldR, r) = (r, oldR - quotient * r);
            (oldS, s) = (s, oldS - quotient * s);
        }

        return (oldS % modulus + modulus) % modulus;
    }

    private static byte[] Bytes(BigInteger value, int length)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[length];
        bytes.CopyTo(padded, length - bytes.Length);
        return padded;
    }
}
