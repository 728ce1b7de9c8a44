//! String enums that stay open: a value the spec does not list is kept, not rejected.

/// Implements string conversions, `Serialize`, `Deserialize` and [`Unknowns`](crate::Unknowns)
/// for an enum of unit variants plus one catch-all variant holding a `String`.
///
/// ```
/// #[derive(Debug, Clone, PartialEq, Eq)]
/// pub enum Status {
///     Delivered,
///     Failed,
///     Unknown(String),
/// }
/// hookwright_runtime::open_enum!(Status {
///     Delivered = "DELIVERED",
///     Failed = "FAILED",
/// } unknown Unknown);
///
/// assert_eq!("FAILED".parse::<Status>(), Ok(Status::Failed));
/// let later: Status = serde_json::from_str("\"EXPIRED\"").unwrap();
/// assert_eq!(later, Status::Unknown("EXPIRED".into()));
/// assert_eq!(serde_json::to_string(&later).unwrap(), "\"EXPIRED\"");
/// ```
#[macro_export]
macro_rules! open_enum {
    ($ty:ident { $($variant:ident = $value:literal),+ $(,)? } unknown $unknown:ident) => {
        impl $ty {
            /// The values the spec lists, in its order.
            pub const KNOWN: &'static [&'static str] = &[$($value),+];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )+
                    Self::$unknown(value) => value,
                }
            }

            /// Whether the spec lists this value.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::$unknown(_))
            }
        }

        impl ::core::convert::From<&str> for $ty {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )+
                    other => Self::$unknown(other.to_owned()),
                }
            }
        }

        impl ::core::convert::From<::std::string::String> for $ty {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $( $value => Self::$variant, )+
                    _ => Self::$unknown(value),
                }
            }
        }

        impl ::core::str::FromStr for $ty {
            type Err = ::core::convert::Infallible;

            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from(value))
            }
        }

        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $ty {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $ty {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                struct EnumVisitor;

                impl $crate::__private::serde::de::Visitor<'_> for EnumVisitor {
                    type Value = $ty;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(concat!("a string (", stringify!($ty), ")"))
                    }

                    fn visit_str<E>(self, value: &str) -> ::core::result::Result<$ty, E>
                    where
                        E: $crate::__private::serde::de::Error,
                    {
                        ::core::result::Result::Ok($ty::from(value))
                    }

                    fn visit_string<E>(
                        self,
                        value: ::std::string::String,
                    ) -> ::core::result::Result<$ty, E>
                    where
                        E: $crate::__private::serde::de::Error,
                    {
                        ::core::result::Result::Ok($ty::from(value))
                    }
                }

                deserializer.deserialize_str(EnumVisitor)
            }
        }

        impl $crate::Unknowns for $ty {
            fn collect_unknowns(
                &self,
                at: &mut ::std::string::String,
                out: &mut ::std::vec::Vec<::std::string::String>,
            ) {
                if !self.is_known() {
                    out.push(at.clone());
                }
            }
        }
    };
}
