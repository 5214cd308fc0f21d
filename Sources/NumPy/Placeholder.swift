public enum NumPyPlaceholder {}
