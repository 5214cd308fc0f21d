public enum DrawingPlaceholder {}
