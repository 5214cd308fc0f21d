import Foundation
import NumPy
import Shards
import Testing
import TestSupport
